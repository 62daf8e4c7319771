package dev.faultline.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Pure cores wired by an in-memory message queue: deterministic, no threads, no clock. Messages to
 * or from an isolated node are dropped. Applied entries are recorded per node.
 */
final class TestCluster {
  final Map<String, RaftCore> cores = new LinkedHashMap<>();
  final Map<String, MemoryLogStorage> storages = new LinkedHashMap<>();
  final Map<String, List<Entry>> applied = new LinkedHashMap<>();
  final Map<String, List<ReadState>> reads = new LinkedHashMap<>();
  final Map<String, Ready.SnapshotInstall> installed = new LinkedHashMap<>();
  final Set<String> isolated = new HashSet<>();
  final ArrayDeque<Message> inFlight = new ArrayDeque<>();
  final List<Message> delivered = new ArrayList<>();
  private final UnaryOperator<RaftConfig> tune;
  private final Set<String> voters;
  private final RandomGenerator random = new SplittableRandom(7);

  TestCluster(UnaryOperator<RaftConfig> tune, String... ids) {
    this.tune = tune;
    this.voters = new TreeSet<>(List.of(ids));
    for (String id : ids) {
      add(id, voters);
    }
  }

  TestCluster(String... ids) {
    this(c -> c, ids);
  }

  /** Starts a node with empty storage that knows {@code initialVoters} (a joining learner). */
  RaftCore add(String id, Set<String> initialVoters) {
    MemoryLogStorage storage = new MemoryLogStorage();
    storages.put(id, storage);
    RaftCore core =
        new RaftCore(tune.apply(RaftConfig.of(id, initialVoters)), storage, random, null, 0);
    cores.put(id, core);
    applied.put(id, new ArrayList<>());
    reads.put(id, new ArrayList<>());
    return core;
  }

  /** Replaces a node's core with one recovered from {@code storage} (a restart). */
  RaftCore restart(String id, MemoryLogStorage storage) {
    storages.put(id, storage);
    Ready.SnapshotInstall snap = installed.get(id);
    RaftCore core =
        new RaftCore(
            tune.apply(RaftConfig.of(id, voters)),
            storage,
            random,
            storage.snapshot().index() > 0 ? snap.data() : null,
            storage.snapshot().index());
    cores.put(id, core);
    return core;
  }

  RaftCore core(String id) {
    return cores.get(id);
  }

  /** Campaigns on {@code id} and runs the cluster until quiet. */
  void elect(String id) {
    core(id).campaign();
    stabilize();
  }

  void propose(String id, String data) {
    ProposeResult r = core(id).propose(data.getBytes());
    if (!(r instanceof ProposeResult.Accepted)) {
      throw new AssertionError("proposal refused: " + r);
    }
  }

  /** Persists and collects output of every node, then delivers messages, until quiet. */
  void stabilize() {
    for (int round = 0; round < 10_000; round++) {
      boolean progress = false;
      for (String id : cores.keySet()) {
        progress |= processReady(id);
      }
      if (!inFlight.isEmpty()) {
        progress = true;
        deliverAll();
      }
      if (!progress) {
        return;
      }
    }
    throw new AssertionError("cluster did not settle in 10000 rounds");
  }

  /** Runs one node's ready cycle, queueing its messages; returns whether there was work. */
  boolean processReady(String id) {
    RaftCore core = core(id);
    if (!core.hasReady()) {
      return false;
    }
    Ready rd = core.ready();
    MemoryLogStorage storage = storages.get(id);
    if (rd.snapshot() != null) {
      storage.installSnapshot(rd.snapshot().meta());
      installed.put(id, rd.snapshot());
    }
    storage.append(rd.entries());
    if (rd.hardState() != null) {
      storage.saveHardState(rd.hardState());
    }
    storage.sync();
    inFlight.addAll(rd.messages());
    inFlight.addAll(rd.persistedMessages());
    applied.get(id).addAll(rd.committed());
    reads.get(id).addAll(rd.readStates());
    core.advance(rd);
    return true;
  }

  void deliverAll() {
    List<Message> batch = new ArrayList<>(inFlight);
    inFlight.clear();
    for (Message m : batch) {
      if (isolated.contains(m.from()) || isolated.contains(m.to()) || !cores.containsKey(m.to())) {
        continue;
      }
      delivered.add(m);
      core(m.to()).step(m);
    }
  }

  /** Ticks every node {@code n} times, settling after each tick. */
  void tickAll(int n) {
    for (int i = 0; i < n; i++) {
      for (RaftCore c : cores.values()) {
        c.tick();
      }
      stabilize();
    }
  }

  void tick(String id, int n) {
    for (int i = 0; i < n; i++) {
      core(id).tick();
      stabilize();
    }
  }

  String leader() {
    String found = null;
    long bestTerm = -1;
    for (RaftCore c : cores.values()) {
      if (c.role() == Role.LEADER && c.term() > bestTerm && !isolated.contains(c.id())) {
        found = c.id();
        bestTerm = c.term();
      }
    }
    return found;
  }

  /** The command payloads applied by {@code id}, as strings. */
  List<String> appliedCommands(String id) {
    List<String> out = new ArrayList<>();
    for (Entry e : applied.get(id)) {
      if (e.type() == Entry.Type.COMMAND) {
        out.add(new String(e.data()));
      }
    }
    return out;
  }
}
