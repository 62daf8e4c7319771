package dev.faultline.raft.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.raft.Entry;
import dev.faultline.raft.ForwardingLogStorage;
import dev.faultline.raft.MemoryLogStorage;
import dev.faultline.raft.Message;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.RaftCore;
import dev.faultline.raft.Role;
import dev.faultline.raft.SnapshotMeta;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.Test;

/**
 * The ready loop's pipelined group commit ({@link ReadyLoop#pump}), driven by hand: each node's
 * syncs run when the test says, and every message is checked against what its sender's disk durably
 * held at the moment it left (what a crash would keep).
 */
class PipelinedSyncTest {

  /** Storage whose syncs finish only when run; {@link #durable} is what a crash keeps. */
  static final class HeldStorage extends ForwardingLogStorage {
    final MemoryLogStorage mem;
    volatile MemoryLogStorage durable;
    volatile int inFlight;
    final List<String> events;

    HeldStorage(MemoryLogStorage mem, List<String> events) {
      super(mem);
      this.mem = mem;
      this.durable = mem.copy();
      this.events = events;
    }

    @Override
    public void append(List<Entry> entries) {
      if (inFlight > 0 && !entries.isEmpty() && entries.get(0).index() <= mem.lastIndex()) {
        throw new AssertionError(
            "entries from " + entries.get(0).index() + " replaced while a sync is in flight");
      }
      events.add("append from " + entries.get(0).index());
      super.append(entries);
    }

    @Override
    public void installSnapshot(SnapshotMeta meta) {
      requireIdle("snapshot installed");
      super.installSnapshot(meta);
    }

    @Override
    public void compact(long index) {
      requireIdle("log compacted");
      super.compact(index);
    }

    @Override
    public void sync() {
      requireIdle("synced");
      durable = mem.copy();
    }

    @Override
    public Runnable startSync() {
      requireIdle("second sync started");
      inFlight++;
      MemoryLogStorage upTo = mem.copy();
      return () -> {
        durable = upTo;
        inFlight--;
      };
    }

    private void requireIdle(String what) {
      if (inFlight > 0) {
        throw new AssertionError(what + " while a sync is in flight");
      }
    }
  }

  private final Map<String, ReadyLoop> loops = new LinkedHashMap<>();
  private final Map<String, HeldStorage> disks = new LinkedHashMap<>();
  private final Map<String, ConcurrentLinkedDeque<Runnable>> syncs = new LinkedHashMap<>();
  private final Map<String, ListStateMachine> machines = new LinkedHashMap<>();
  private final Set<String> held = new HashSet<>();
  private final Set<String> deaf = new HashSet<>();
  private final List<Message> wire = Collections.synchronizedList(new ArrayList<>());
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private Set<String> voters;

  private void cluster(String... ids) {
    voters = Set.of(ids);
    for (String id : ids) {
      start(id, new MemoryLogStorage());
    }
  }

  private void start(String id, MemoryLogStorage from) {
    HeldStorage disk = new HeldStorage(from, events);
    RaftCore core =
        new RaftCore(
            RaftConfig.of(id, voters).withElectionSafety(false, false),
            disk,
            new SplittableRandom(id.hashCode()),
            null,
            0);
    ListStateMachine machine = new ListStateMachine();
    disks.put(id, disk);
    machines.put(id, machine);
    syncs.put(id, new ConcurrentLinkedDeque<>());
    loops.put(
        id,
        new ReadyLoop(
            core,
            disk,
            new MemorySnapshotStore(),
            machine,
            msgs -> msgs.forEach(this::leave),
            1_000,
            0,
            ReadyLoop.Observer.NONE));
  }

  /** The process dies and restarts from what its disk durably held. */
  private void crash(String id) {
    start(id, disks.get(id).durable.copy());
  }

  /** A message leaves {@code m.from()}: it may promise only what that node's disk holds. */
  private void leave(Message m) {
    MemoryLogStorage durable = disks.get(m.from()).durable;
    if (m instanceof Message.AppendResponse r && r.success()) {
      assertThat(durable.lastIndex())
          .as("%s acknowledges up to %d", m.from(), r.index())
          .isGreaterThanOrEqualTo(r.index());
      events.add("ack " + m.from() + "->" + m.to() + " term " + r.term() + " up to " + r.index());
    } else if (m instanceof Message.RequestVoteResponse r && r.granted()) {
      assertThat(durable.hardState().term()).isEqualTo(r.term());
      assertThat(durable.hardState().votedFor()).isEqualTo(r.to());
    } else if (m instanceof Message.RequestVote r) {
      assertThat(durable.hardState().term()).isEqualTo(r.term());
      assertThat(durable.hardState().votedFor()).isEqualTo(r.from());
    }
    wire.add(m);
  }

  private void pump(String id) throws Exception {
    ReadyLoop loop = loops.get(id);
    loop.pump(syncs.get(id)::add, () -> {});
    while (!held.contains(id) && !syncs.get(id).isEmpty()) {
      syncs.get(id).poll().run();
      loop.pump(syncs.get(id)::add, () -> {});
    }
    loop.settle();
  }

  /** Lets {@code id}'s held syncs finish. */
  private void releaseSyncs(String id) throws Exception {
    held.remove(id);
    pump(id);
  }

  private void stabilize() throws Exception {
    for (int round = 0; round < 1_000; round++) {
      for (String id : loops.keySet()) {
        pump(id);
      }
      List<Message> batch;
      synchronized (wire) {
        batch = new ArrayList<>(wire);
        wire.clear();
      }
      boolean moved = false;
      for (Message m : batch) {
        if (!deaf.contains(m.to()) && !deaf.contains(m.from())) {
          loops.get(m.to()).core().step(m);
          moved = true;
        }
      }
      if (!moved && loops.values().stream().noneMatch(l -> l.core().hasReady())) {
        return;
      }
    }
    throw new AssertionError("did not settle");
  }

  private void elect(String id) throws Exception {
    loops.get(id).core().campaign();
    stabilize();
    assertThat(loops.get(id).core().role()).isEqualTo(Role.LEADER);
  }

  private CompletableFuture<byte[]> propose(String leader, String command) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    loops.get(leader).propose(command.getBytes(StandardCharsets.UTF_8), f);
    return f;
  }

  @Test
  void aFollowerAcknowledgesEntriesOnlyAfterItsOwnSync() throws Exception {
    cluster("n1", "n2", "n3");
    elect("n1");
    held.add("n2");
    CompletableFuture<byte[]> f = propose("n1", "x");
    long index = loops.get("n1").core().lastIndex();
    stabilize();

    assertThat(disks.get("n2").mem.lastIndex()).as("n2 wrote the entry").isEqualTo(index);
    assertThat(syncs.get("n2")).as("n2's sync is held").isNotEmpty();
    assertThat(loops.get("n1").core().matchIndex("n2")).isLessThan(index);
    assertThat(f).as("n1 and n3 make a majority").isCompleted();

    releaseSyncs("n2");
    stabilize();
    assertThat(loops.get("n1").core().matchIndex("n2")).isEqualTo(index);
  }

  @Test
  void aLeaderCommitsOnTwoFollowersWhileItsOwnSyncIsHeld() throws Exception {
    cluster("n1", "n2", "n3");
    elect("n1");
    held.add("n1");
    CompletableFuture<byte[]> f = propose("n1", "x");
    long index = loops.get("n1").core().lastIndex();
    stabilize();

    assertThat(f).isCompleted();
    assertThat(f.get()).isEqualTo("ok1".getBytes(StandardCharsets.UTF_8));
    assertThat(disks.get("n1").durable.lastIndex()).as("n1's own sync").isLessThan(index);
    assertThat(loops.get("n1").core().matchIndex("n1")).isLessThan(index);
  }

  @Test
  void aLeaderDoesNotCountItselfBeforeItsOwnSync() throws Exception {
    cluster("n1", "n2", "n3");
    elect("n1");
    held.add("n1");
    deaf.add("n3");
    CompletableFuture<byte[]> f = propose("n1", "x");
    long index = loops.get("n1").core().lastIndex();
    stabilize();

    assertThat(loops.get("n1").core().matchIndex("n2")).isEqualTo(index);
    assertThat(f).as("n2 alone with an unsynced leader is no majority").isNotDone();
    assertThat(loops.get("n1").core().commitIndex()).isLessThan(index);

    releaseSyncs("n1");
    stabilize();
    assertThat(f).isCompleted();
  }

  @Test
  void aCrashAfterWriteBeforeSyncLosesNothingAcknowledged() throws Exception {
    cluster("n1", "n2", "n3");
    elect("n1");
    held.addAll(List.of("n1", "n2", "n3"));
    CompletableFuture<byte[]> f = propose("n1", "x");
    long index = loops.get("n1").core().lastIndex();
    stabilize();
    assertThat(f).as("written everywhere, synced nowhere").isNotDone();

    releaseSyncs("n2");
    stabilize();
    assertThat(f).as("n2 synced, n1 not: still no majority").isNotDone();
    releaseSyncs("n3");
    stabilize();
    assertThat(f).isCompleted();

    // Every node dies; n1's write never reached its disk.
    for (String id : List.of("n1", "n2", "n3")) {
      crash(id);
    }
    held.clear();
    wire.clear();
    assertThat(disks.get("n1").mem.lastIndex()).isLessThan(index);
    elect("n2");
    CompletableFuture<byte[]> g = propose("n2", "y");
    stabilize();
    assertThat(g).isCompleted();
    assertThat(g.get())
        .as("x survived the crash, so y is the second command")
        .isEqualTo("ok2".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aNewTermWaitsForTheSyncInFlightAndItsAcknowledgementLeavesBeforeTheTruncation()
      throws Exception {
    cluster("n1", "n2", "n3", "n4", "n5");
    elect("n1");
    // n1 reaches only n2, whose sync of the new entry is held.
    deaf.addAll(List.of("n3", "n4", "n5"));
    held.add("n2");
    propose("n1", "x");
    long index = loops.get("n1").core().lastIndex();
    stabilize();
    assertThat(disks.get("n2").mem.lastIndex()).isEqualTo(index);
    assertThat(syncs.get("n2")).hasSize(1);

    // n3 wins term 2 without n1 and n2 and writes its own entry at that index.
    deaf.clear();
    deaf.addAll(List.of("n1", "n2"));
    elect("n3");
    assertThat(loops.get("n3").core().lastIndex()).isEqualTo(index);
    deaf.clear();
    deaf.add("n1");
    loops.get("n3").core().tick(); // heartbeat-driven probe
    for (int i = 0; i < 5 && wire.stream().noneMatch(m -> m.to().equals("n2")); i++) {
      pump("n3");
      loops.get("n3").core().tick();
    }
    pump("n3");
    List<Message> toN2;
    synchronized (wire) {
      toN2 = new ArrayList<>(wire.stream().filter(m -> m.to().equals("n2")).toList());
      wire.clear();
    }
    assertThat(toN2).isNotEmpty();
    for (Message m : toN2) {
      loops.get("n2").core().step(m);
    }
    events.clear();

    // n2 hears term 2: its loop must wait for the sync in flight before writing the new term (and,
    // later, n3's entry over the one that sync covers).
    Throwable[] failure = new Throwable[1];
    Thread loop =
        new Thread(
            () -> {
              try {
                loops.get("n2").pump(syncs.get("n2")::add, () -> {});
              } catch (Throwable t) {
                failure[0] = t;
              }
            });
    loop.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !loop.isAlive() || loop.getState() == Thread.State.WAITING);
    assertThat(failure[0]).isNull();
    assertThat(loop.isAlive()).as("the loop waits for the sync in flight").isTrue();
    assertThat(events).as("nothing written while it waits").isEmpty();

    syncs.get("n2").poll().run();
    loop.join(20_000);
    assertThat(failure[0]).isNull();
    held.remove("n2");
    stabilize();
    assertThat(events)
        .as("the acknowledgement of the synced entry leaves before the entry is replaced")
        .containsSubsequence("ack n2->n1 term 1 up to " + index, "append from " + index);
    assertThat(disks.get("n2").durable.term(index)).isEqualTo(2);
  }
}
