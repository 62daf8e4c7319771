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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RaftNodeTest {
  private static final Set<String> IDS = Set.of("n1", "n2", "n3");
  private final LocalNetwork net = new LocalNetwork();
  private final Map<String, RaftNode> nodes = new LinkedHashMap<>();
  private final Map<String, ListStateMachine> machines = new LinkedHashMap<>();
  private final Map<String, MemoryLogStorage> storages = new LinkedHashMap<>();

  private void startCluster(long snapshotEvery) throws Exception {
    for (String id : List.of("n1", "n2", "n3")) {
      ListStateMachine sm = new ListStateMachine();
      MemoryLogStorage storage = new MemoryLogStorage();
      RaftNode node =
          new RaftNode(
              RaftConfig.of(id, IDS),
              new NodeOptions(10, snapshotEvery, 256),
              storage,
              new MemorySnapshotStore(),
              sm,
              net.transport(id));
      nodes.put(id, node);
      machines.put(id, sm);
      storages.put(id, storage);
      node.start();
    }
  }

  @AfterEach
  void stop() {
    nodes.values().forEach(RaftNode::close);
  }

  private RaftNode awaitLeader() {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> leader() != null);
    return leader();
  }

  private RaftNode leader() {
    RaftNode found = null;
    for (RaftNode n : nodes.values()) {
      NodeStatus s = n.status();
      if (s.role() == Role.LEADER && (found == null || s.term() > found.status().term())) {
        found = n;
      }
    }
    return found;
  }

  @Test
  void clusterElectsLeaderAndCommitsProposalsEverywhere() throws Exception {
    startCluster(10_000);
    RaftNode leader = awaitLeader();
    List<CompletableFuture<byte[]>> futures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      futures.add(leader.propose(("c" + i).getBytes()));
    }
    for (CompletableFuture<byte[]> f : futures) {
      assertThat(f.get(20, TimeUnit.SECONDS)).isNotEmpty();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (ListStateMachine sm : machines.values()) {
                assertThat(sm.commands()).hasSize(20);
              }
            });
    assertThat(machines.get("n1").commands()).isEqualTo(machines.get("n2").commands());
    assertThat(new String(leader.read(new byte[0]).get(20, TimeUnit.SECONDS))).isEqualTo("20");
    assertThat(storages.get(leader.id()).syncCount()).isPositive();
  }

  @Test
  void followerRefusesProposalNamingTheLeader() throws Exception {
    startCluster(10_000);
    RaftNode leader = awaitLeader();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> nodes.values().stream().allMatch(n -> leader.id().equals(n.status().leader())));
    RaftNode follower = nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () -> follower.propose("x".getBytes()).get(20, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(NotLeaderException.class);
    assertThat(((NotLeaderException) e.getCause()).leader()).isEqualTo(leader.id());
  }

  @Test
  void proposalFailsAsUnknownWhenLeadershipIsLost() throws Exception {
    startCluster(10_000);
    RaftNode leader = awaitLeader();
    leader.propose("before".getBytes()).get(20, TimeUnit.SECONDS);
    net.isolate(leader.id());
    CompletableFuture<byte[]> stranded = leader.propose("stranded".getBytes());
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> stranded.get(20, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(OutcomeUnknownException.class);
    assertThat(leader.status().role()).isNotEqualTo(Role.LEADER);
    net.heal();
    RaftNode next = awaitLeader();
    assertThat(next.propose("after".getBytes()).get(20, TimeUnit.SECONDS)).isNotEmpty();
  }

  @Test
  void snapshotsCompactTheLogAndCatchUpAFollower() throws Exception {
    startCluster(5);
    RaftNode leader = awaitLeader();
    String lagging =
        nodes.keySet().stream().filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
    net.isolate(lagging);
    // the isolated follower cannot vote, the other two still form a majority
    for (int i = 0; i < 30; i++) {
      leader.propose(("s" + i).getBytes()).get(20, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> storages.get(leader.id()).snapshot().index() > 0);
    net.heal();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(machines.get(lagging).commands()).hasSize(30));
    assertThat(machines.get(lagging).commands()).isEqualTo(machines.get(leader.id()).commands());
  }
}
