package dev.faultline.raft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.raft.MemoryLogStorage;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The leader's view of how far each follower trails it, as {@link RaftNode#replicationLag()}. */
class ReplicationLagTest {
  private static final List<String> IDS = List.of("n1", "n2", "n3");
  private final LocalNetwork net = new LocalNetwork();
  private final Map<String, RaftNode> nodes = new LinkedHashMap<>();

  @AfterEach
  void stop() {
    nodes.values().forEach(RaftNode::close);
  }

  private void startCluster() throws Exception {
    for (String id : IDS) {
      RaftNode node =
          new RaftNode(
              RaftConfig.of(id, Set.copyOf(IDS)),
              new NodeOptions(10, 10_000, 256),
              new MemoryLogStorage(),
              new MemorySnapshotStore(),
              new ListStateMachine(),
              net.transport(id));
      nodes.put(id, node);
      node.start();
    }
  }

  private RaftNode awaitLeader() {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> nodes.values().stream().anyMatch(n -> n.status().role() == Role.LEADER));
    return nodes.values().stream()
        .filter(n -> n.status().role() == Role.LEADER)
        .findFirst()
        .orElseThrow();
  }

  private void commit(RaftNode leader, int count) throws Exception {
    List<CompletableFuture<byte[]>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(leader.propose(("c" + i).getBytes()));
    }
    for (CompletableFuture<byte[]> f : futures) {
      f.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void theLeaderReportsEveryFollowerAndFollowersReportNothing() throws Exception {
    startCluster();
    RaftNode leader = awaitLeader();
    commit(leader, 10);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Map<String, Long> lag = leader.replicationLag();
              assertThat(lag.keySet())
                  .containsExactlyInAnyOrderElementsOf(
                      IDS.stream().filter(id -> !id.equals(leader.id())).toList());
              assertThat(lag.values()).containsOnly(0L);
            });
    for (RaftNode n : nodes.values()) {
      if (n != leader) {
        assertThat(n.replicationLag()).isEmpty();
      }
    }
  }

  @Test
  void anIsolatedFollowerFallsBehindByTheEntriesItMissed() throws Exception {
    startCluster();
    RaftNode leader = awaitLeader();
    commit(leader, 1);
    String cut = IDS.stream().filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Long.valueOf(0).equals(leader.replicationLag().get(cut)));

    net.isolate(cut);
    commit(leader, 25);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Map<String, Long> lag = leader.replicationLag();
              assertThat(lag.get(cut)).isGreaterThanOrEqualTo(25L);
              assertThat(lag.values().stream().filter(v -> v == 0L).count()).isEqualTo(1);
            });

    net.heal();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Long.valueOf(0).equals(leader.replicationLag().get(cut)));
  }
}
