package dev.faultline.testbed.sim;

import dev.faultline.histories.OpType;
import dev.faultline.raft.Entry;
import dev.faultline.raft.LogStorage;
import dev.faultline.raft.Message;
import dev.faultline.raft.ProposeResult;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.RaftCore;
import dev.faultline.raft.ReadState;
import dev.faultline.raft.Ready;
import dev.faultline.raft.Role;
import dev.faultline.raft.SnapshotMeta;
import dev.faultline.store.KvCommand;
import dev.faultline.store.KvQuery;
import dev.faultline.store.KvResult;
import dev.faultline.store.KvStateMachine;
import dev.faultline.store.StoreOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One simulated server: the same loop as the production runtime (step, persist, sync, release
 * durable replies, apply, advance), driven by simulated events. While a sync is in flight or the
 * process is paused, inputs wait in a backlog and are stepped together afterwards (group commit).
 */
final class SimNode {
  private static final StoreOptions STORE =
      StoreOptions.DEFAULT.withShards(4).withAutoRebuild(false);

  private record Proposal(long term, Request request) {}

  final int index;
  final String id;
  final SimDisk disk = new SimDisk();
  private final Simulation sim;
  private final RaftConfig config;
  RaftCore core;
  private LogStorage storage;
  private KvStateMachine machine;
  boolean up;
  boolean paused;
  private boolean syncing;
  private Ready inProgress;
  int incarnation;
  private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
  private final Map<Long, Proposal> proposals = new HashMap<>();
  private final Map<Long, Request> reads = new HashMap<>();
  private final TreeMap<Long, List<Request>> confirmed = new TreeMap<>();
  private long applied;
  private long snapshotIndex;
  private long leaderTerm = -1;

  SimNode(Simulation sim, int index, RaftConfig config) {
    this.sim = sim;
    this.index = index;
    this.id = config.id();
    this.config = config;
  }

  /** Starts (or restarts) the process from what its disk durably holds. */
  void start(SplittableRandom random) {
    storage = disk.open();
    machine = new KvStateMachine(STORE);
    SnapshotMeta snap = storage.snapshot();
    byte[] data = null;
    if (snap.index() > 0) {
      data = disk.loadSnapshot(snap);
      try {
        machine.restoreSnapshot(snap.index(), new ByteArrayInputStream(data));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    applied = snap.index();
    snapshotIndex = snap.index();
    core = new RaftCore(config, storage, random, data, applied);
    up = true;
    paused = false;
    syncing = false;
    inProgress = null;
    leaderTerm = -1;
    incarnation++;
    sim.monitor.started(this);
  }

  void crash(SplittableRandom random) {
    up = false;
    disk.crash(random, true);
    backlog.clear();
    proposals.clear();
    reads.clear();
    confirmed.clear();
    core = null;
    machine = null;
  }

  boolean busy() {
    return paused || syncing;
  }

  void resume() {
    paused = false;
    drain();
  }

  // ------------------------------------------------------------------ inputs

  void tick() {
    if (!up || busy()) {
      return; // a paused or blocked process does not see its timer fire
    }
    core.tick();
    pump();
  }

  void deliver(Message m) {
    if (!up) {
      return;
    }
    input(() -> core.step(m));
  }

  void request(Request r) {
    if (!up) {
      return;
    }
    input(() -> handle(r));
  }

  private void input(Runnable work) {
    if (busy()) {
      backlog.add(work);
      return;
    }
    work.run();
    pump();
  }

  private void drain() {
    if (!up) {
      return;
    }
    while (!busy() && !backlog.isEmpty()) {
      backlog.poll().run();
    }
    if (!busy()) {
      pump();
    }
  }

  private void handle(Request r) {
    if (core.role() != Role.LEADER) {
      sim.complete(r, OpType.FAIL, null, id, "not-leader");
      return;
    }
    if (r.f().equals("read")) {
      if (core.readIndex(longBytes(r.id()))) {
        reads.put(r.id(), r);
      } else {
        sim.complete(r, OpType.FAIL, null, id, "not-leader");
      }
      return;
    }
    byte[] key = r.key().getBytes(StandardCharsets.UTF_8);
    byte[] value = Long.toString(r.value()).getBytes(StandardCharsets.UTF_8);
    KvCommand cmd =
        r.f().equals("cas")
            ? new KvCommand.Cas(
                key,
                r.expected() == null
                    ? null
                    : Long.toString(r.expected()).getBytes(StandardCharsets.UTF_8),
                value,
                0,
                0)
            : new KvCommand.Put(key, value, 0, 0);
    ProposeResult res = core.propose(cmd.encode());
    if (res instanceof ProposeResult.Accepted a) {
      proposals.put(a.index(), new Proposal(a.term(), r));
    } else {
      sim.complete(r, OpType.FAIL, null, id, "not-leader");
    }
  }

  // ------------------------------------------------------------------ the ready loop

  private void pump() {
    while (up && !busy() && core.hasReady()) {
      Ready rd = core.ready();
      sim.send(this, rd.messages());
      if (rd.snapshot() != null) {
        SnapshotMeta meta = rd.snapshot().meta();
        disk.saveSnapshot(meta, rd.snapshot().data());
        try {
          machine.restoreSnapshot(meta.index(), new ByteArrayInputStream(rd.snapshot().data()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        storage.installSnapshot(meta);
        applied = meta.index();
        snapshotIndex = meta.index();
      }
      if (!rd.entries().isEmpty()) {
        sim.monitor.appended(this, rd.entries());
        storage.append(rd.entries());
      }
      if (rd.hardState() != null) {
        storage.saveHardState(rd.hardState());
      }
      if (rd.needsSync()) {
        syncing = true;
        inProgress = rd;
        sim.syncLater(this);
        return;
      }
      finish(rd);
    }
  }

  /** The disk reports the sync done: release what waited on it, then take the backlog. */
  void synced() {
    if (!up || !syncing) {
      return;
    }
    disk.sync();
    syncing = false;
    Ready rd = inProgress;
    inProgress = null;
    finish(rd);
    drain();
  }

  private void finish(Ready rd) {
    sim.send(this, rd.persistedMessages());
    for (Entry e : rd.committed()) {
      apply(e);
    }
    for (ReadState rs : rd.readStates()) {
      Request r = reads.remove(bytesLong(rs.context()));
      if (r != null) {
        confirmed.computeIfAbsent(rs.index(), k -> new ArrayList<>()).add(r);
      }
    }
    core.advance(rd);
    maybeSnapshot();
    serveReads();
    checkLeadership();
    sim.monitor.observe(this);
    sim.nemesis.electionsObserved();
  }

  private void apply(Entry e) {
    sim.monitor.applied(this, e);
    // Entries that are not commands reach the machine as empty commands, so its applied index
    // (and the index its snapshots claim) follows the log exactly.
    byte[] result =
        machine.apply(e.index(), e.type() == Entry.Type.COMMAND ? e.data() : new byte[0]);
    applied = e.index();
    Proposal p = proposals.remove(e.index());
    if (p == null) {
      return;
    }
    if (p.term() != e.term()) {
      sim.complete(p.request(), OpType.INFO, null, id, "replaced");
      return;
    }
    KvResult r = KvResult.decode(result);
    if (r instanceof KvResult.Done) {
      sim.complete(p.request(), OpType.OK, null, id, null);
    } else if (r instanceof KvResult.CasMismatch) {
      sim.complete(p.request(), OpType.FAIL, null, id, "cas-mismatch");
    } else {
      sim.complete(p.request(), OpType.FAIL, null, id, "rejected");
    }
  }

  private void serveReads() {
    while (!confirmed.isEmpty() && confirmed.firstKey() <= applied) {
      for (Request r : confirmed.pollFirstEntry().getValue()) {
        byte[] raw = machine.query(new KvQuery(r.key().getBytes(StandardCharsets.UTF_8)).encode());
        byte[] value = KvQuery.decodeResult(raw);
        Long v = value == null ? null : Long.valueOf(new String(value, StandardCharsets.UTF_8));
        sim.complete(r, OpType.OK, v, id, null);
      }
    }
  }

  private void checkLeadership() {
    boolean leads = core.role() == Role.LEADER;
    if (leads && leaderTerm == core.term()) {
      return;
    }
    for (Proposal p : proposals.values()) {
      sim.complete(p.request(), OpType.INFO, null, id, "leadership-lost");
    }
    proposals.clear();
    for (Request r : reads.values()) {
      sim.complete(r, OpType.FAIL, null, id, "leadership-lost");
    }
    reads.clear();
    leaderTerm = leads ? core.term() : -1;
  }

  private void maybeSnapshot() {
    if (applied - snapshotIndex < sim.config.snapshotEvery() || applied > core.commitIndex()) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      machine.writeSnapshot(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SnapshotMeta meta =
        new SnapshotMeta(
            applied,
            core.termAt(applied),
            core.membership().voters(),
            core.membership().learners());
    disk.saveSnapshot(meta, out.toByteArray());
    storage.installSnapshot(meta);
    core.snapshotTaken(meta, out.toByteArray());
    snapshotIndex = applied;
  }

  /** Requests this node holds that have not been answered (liveness: none after healing). */
  int pendingRequests() {
    int n = proposals.size() + reads.size();
    for (List<Request> l : confirmed.values()) {
      n += l.size();
    }
    return n;
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  private static long bytesLong(byte[] b) {
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xff);
    }
    return v;
  }

  @Override
  public String toString() {
    return up ? core.toString() + (paused ? " paused" : "") : id + " down";
  }
}
