package dev.faultline.raft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.raft.ForwardingLogStorage;
import dev.faultline.raft.MemoryLogStorage;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three real nodes over an in-process network. Elections run on wall-clock ticks (10 ms, 10-tick
 * election timeout), so on a loaded machine a loop thread stalled for ~100 ms moves leadership at
 * any moment; no test assumes the leader it found is still the leader a moment later.
 */
class RaftNodeTest {
  private static final Set<String> IDS = Set.of("n1", "n2", "n3");

  /** Bound on starting over because leadership moved; each move costs an election. */
  private static final int ATTEMPTS = 10;

  private static final Duration BOUND = Duration.ofSeconds(20);

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
    return awaitLeaderAmong(nodes.keySet());
  }

  /** The node among {@code ids} that reports leading in the highest term, once there is one. */
  private RaftNode awaitLeaderAmong(Collection<String> ids) {
    return await()
        .atMost(BOUND)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> leaderAmong(ids), Objects::nonNull);
  }

  private RaftNode leaderAmong(Collection<String> ids) {
    RaftNode found = null;
    long foundTerm = -1;
    for (String id : ids) {
      NodeStatus s = nodes.get(id).status();
      if (s.role() == Role.LEADER && s.term() > foundTerm) {
        found = nodes.get(id);
        foundTerm = s.term();
      }
    }
    return found;
  }

  /** The node that leads and that every node names as leader, or null while they disagree. */
  private RaftNode agreedLeader() {
    RaftNode leader = leaderAmong(nodes.keySet());
    if (leader == null
        || !nodes.values().stream().allMatch(n -> leader.id().equals(n.status().leader()))) {
      return null;
    }
    return leader;
  }

  private List<String> othersThan(String id) {
    return nodes.keySet().stream().filter(n -> !n.equals(id)).toList();
  }

  /**
   * Sends {@code request} to the node leading among {@code ids} until an attempt succeeds. A
   * request caught by a change of leader fails as refused (it had no effect) or, for a proposal
   * already appended, as unknown (it may still be applied); {@code onUnknown} hears of the latter
   * before the retry.
   */
  private <T> T onLeader(
      Collection<String> ids, Function<RaftNode, CompletableFuture<T>> request, Runnable onUnknown)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      RaftNode leader = awaitLeaderAmong(ids);
      long term = leader.status().term();
      try {
        return request.apply(leader).get(BOUND.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        boolean unknown = e.getCause() instanceof OutcomeUnknownException;
        if (attempt == ATTEMPTS || !(unknown || e.getCause() instanceof NotLeaderException)) {
          throw e;
        }
        if (unknown) {
          onUnknown.run();
        }
        // Either failure means the node no longer leads in that term (a term has one leader and
        // a deposed leader needs a new term, §5.2); wait until its status says so.
        await()
            .atMost(BOUND)
            .until(() -> leader.status().role() != Role.LEADER || leader.status().term() != term);
      }
    }
  }

  private void commit(Collection<String> ids, String command, Set<String> unknown)
      throws Exception {
    byte[] result = onLeader(ids, n -> n.propose(command.getBytes()), () -> unknown.add(command));
    assertThat(result).isNotEmpty();
  }

  /**
   * Every sent command was applied, nothing else was, and only a command that was retried after an
   * unknown outcome may have been applied twice.
   */
  private static void assertAppliedEachSent(
      List<String> applied, List<String> sent, Set<String> unknown) {
    assertThat(new HashSet<>(applied)).isEqualTo(new HashSet<>(sent));
    List<String> repeated = new ArrayList<>(applied);
    sent.forEach(repeated::remove);
    assertThat(unknown).containsAll(repeated);
  }

  @Test
  void clusterElectsLeaderAndCommitsProposalsEverywhere() throws Exception {
    startCluster(10_000);
    RaftNode leader = awaitLeader();
    List<String> sent = new ArrayList<>();
    Map<String, CompletableFuture<byte[]>> futures = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      sent.add("c" + i);
      futures.put("c" + i, leader.propose(("c" + i).getBytes()));
    }
    Set<String> unknown = new HashSet<>();
    for (Map.Entry<String, CompletableFuture<byte[]>> f : futures.entrySet()) {
      try {
        assertThat(f.getValue().get(BOUND.toSeconds(), TimeUnit.SECONDS)).isNotEmpty();
      } catch (ExecutionException e) {
        // the batch was caught by a change of leader: resend what did not certainly commit
        assertThat(e.getCause())
            .isInstanceOfAny(NotLeaderException.class, OutcomeUnknownException.class);
        if (e.getCause() instanceof OutcomeUnknownException) {
          unknown.add(f.getKey());
        }
        commit(nodes.keySet(), f.getKey(), unknown);
      }
    }
    // Every proposal has committed, so the log up to the last one is final on every node.
    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              List<String> first = machines.get("n1").commands();
              assertThat(first).containsAll(sent);
              for (ListStateMachine sm : machines.values()) {
                assertThat(sm.commands()).isEqualTo(first);
              }
            });
    List<String> applied = machines.get("n1").commands();
    assertAppliedEachSent(applied, sent, unknown);
    byte[] count = onLeader(nodes.keySet(), n -> n.read(new byte[0]), () -> {});
    assertThat(new String(count)).isEqualTo(Integer.toString(applied.size()));
    assertThat(storages.get(leader.id()).syncCount()).isPositive();
  }

  @Test
  void followerRefusesProposalNamingTheLeader() throws Exception {
    startCluster(10_000);
    for (int attempt = 1; ; attempt++) {
      RaftNode leader = await().atMost(BOUND).until(this::agreedLeader, Objects::nonNull);
      RaftNode follower =
          nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
      long followerTerm = follower.status().term();
      CompletableFuture<byte[]> f = follower.propose(("x" + attempt).getBytes());
      await().atMost(BOUND).until(f::isDone);
      Throwable cause = f.handle((v, e) -> e).join();
      if (cause instanceof NotLeaderException refused && leader.id().equals(refused.leader())) {
        return;
      }
      assertThat(attempt)
          .as("attempts where leadership moved under the proposal")
          .isLessThan(ATTEMPTS);
      if (!(cause instanceof NotLeaderException refused && refused.leader() == null)) {
        // Not refused in the leader's name and not refused as knowing no leader: the follower led
        // itself or followed another leader, either of which takes a later term (§5.2).
        await().atMost(BOUND).until(() -> follower.status().term() > followerTerm);
      }
    }
  }

  @Test
  void proposalFailsAsUnknownWhenLeadershipIsLost() throws Exception {
    startCluster(10_000);
    RaftNode cutOff = null;
    for (int attempt = 1; cutOff == null; attempt++) {
      RaftNode leader = awaitLeader();
      // Cut off before proposing: the entry reaches no follower, so it cannot commit however the
      // threads are scheduled, and check-quorum deposes the leader once an election timeout
      // passes without hearing from a majority.
      net.isolate(leader.id());
      CompletableFuture<byte[]> stranded = leader.propose(("stranded" + attempt).getBytes());
      ExecutionException e =
          assertThrows(
              ExecutionException.class, () -> stranded.get(BOUND.toSeconds(), TimeUnit.SECONDS));
      if (e.getCause() instanceof NotLeaderException && attempt < ATTEMPTS) {
        // Deposed before the proposal reached it, so nothing was appended: start over.
        net.heal();
        continue;
      }
      assertThat(e.getCause()).isInstanceOf(OutcomeUnknownException.class);
      assertThat(leader.status().role()).isNotEqualTo(Role.LEADER);
      cutOff = leader;
    }
    // The other two commit in a later term while the old leader is still cut off. From then on a
    // majority's log ends in a later term than the stranded entry, so the old leader cannot be
    // elected with it (§5.4.1) and it is overwritten when the old leader catches up (§5.3).
    commit(othersThan(cutOff.id()), "after", new HashSet<>());
    net.heal();
    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              List<String> first = machines.get("n1").commands();
              assertThat(first).contains("after");
              for (ListStateMachine sm : machines.values()) {
                assertThat(sm.commands()).isEqualTo(first);
              }
            });
    // neither the stranded entry nor any refused proposal ever took effect
    assertThat(machines.get("n1").commands()).noneMatch(c -> c.startsWith("stranded"));
  }

  @Test
  void snapshotsCompactTheLogAndCatchUpAFollower() throws Exception {
    startCluster(5);
    RaftNode leader = awaitLeader();
    String lagging = othersThan(leader.id()).get(0);
    List<String> majority = othersThan(lagging);
    net.isolate(lagging);
    // the isolated follower cannot vote, the other two still form a majority
    List<String> sent = new ArrayList<>();
    Set<String> unknown = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      sent.add("s" + i);
      commit(majority, "s" + i, unknown);
    }
    await()
        .atMost(BOUND)
        .until(() -> majority.stream().allMatch(id -> storages.get(id).snapshot().index() > 0));
    net.heal();
    await()
        .atMost(BOUND)
        .untilAsserted(
            () -> {
              assertThat(machines.get(lagging).commands()).containsAll(sent);
              assertThat(machines.get(lagging).commands())
                  .isEqualTo(machines.get(majority.get(0)).commands());
            });
    assertAppliedEachSent(machines.get(lagging).commands(), sent, unknown);
  }

  @Test
  void fatalStorageErrorStopsTheLoopWithAOneLineReason() throws Exception {
    MemoryLogStorage memory = new MemoryLogStorage();
    boolean[] broken = new boolean[1];
    ForwardingLogStorage failing =
        new ForwardingLogStorage(memory) {
          @Override
          public void sync() {
            if (broken[0]) {
              throw new java.io.UncheckedIOException(
                  new java.io.IOException("disk n1 is gone\nsecond line"));
            }
            super.sync();
          }
        };
    RaftNode solo =
        new RaftNode(
            RaftConfig.of("n1", Set.of("n1")),
            new NodeOptions(10, 10_000, 256),
            failing,
            new MemorySnapshotStore(),
            new ListStateMachine(),
            net.transport("n1"));
    nodes.put("n1", solo);
    solo.start();
    await().atMost(BOUND).until(() -> solo.status().role() == Role.LEADER);
    assertThat(solo.failure()).isNull();
    broken[0] = true;
    CompletableFuture<byte[]> lost = solo.propose("x".getBytes());
    String reason = solo.failed().get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(reason)
        .contains("node n1", "event loop stopped", "disk n1 is gone")
        .doesNotContain("\n");
    assertThat(solo.failure()).isEqualTo(reason);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> lost.get(5, TimeUnit.SECONDS));
    assertThat(e.getCause()).isInstanceOf(OutcomeUnknownException.class);
  }

  @Test
  void followerRestartedWithWipedLogStopsNamingTheLoss() throws Exception {
    startCluster(10_000);
    Set<String> unknown = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      commit(nodes.keySet(), "w" + i, unknown);
    }
    String reason = null;
    for (int attempt = 1; attempt <= ATTEMPTS && reason == null; attempt++) {
      RaftNode leader = awaitLeader();
      String follower = othersThan(leader.id()).get(0);
      long commit = leader.status().commitIndex();
      await().atMost(BOUND).until(() -> nodes.get(follower).status().appliedIndex() >= commit);
      nodes.get(follower).close();
      ListStateMachine sm = new ListStateMachine();
      RaftNode wiped =
          new RaftNode(
              RaftConfig.of(follower, IDS),
              new NodeOptions(10, 10_000, 256),
              new MemoryLogStorage(),
              new MemorySnapshotStore(),
              sm,
              net.transport(follower));
      nodes.put(follower, wiped);
      machines.put(follower, sm);
      wiped.start();
      // The leader that recorded the follower's acknowledgements tells it so on its next
      // heartbeat; a leader elected meanwhile knows nothing of them, and the node catches up
      // silently (then the test wipes it again).
      await()
          .atMost(BOUND)
          .until(() -> wiped.failure() != null || wiped.status().appliedIndex() >= commit);
      reason = wiped.failure();
    }
    assertThat(reason)
        .isNotNull()
        .contains("lost acknowledged log entries", "its log ends at index 0", "docs/CLUSTER.md");
    assertThat(nodes.values().stream().filter(n -> n.failure() != null).count()).isEqualTo(1);
  }
}
