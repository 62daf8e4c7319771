package dev.faultline.testbed.sim;

import dev.faultline.histories.OpType;
import dev.faultline.raft.Entry;
import dev.faultline.raft.LogStorage;
import dev.faultline.raft.Message;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.RaftCore;
import dev.faultline.raft.Ready;
import dev.faultline.raft.SnapshotMeta;
import dev.faultline.raft.runtime.NotLeaderException;
import dev.faultline.raft.runtime.OutcomeUnknownException;
import dev.faultline.raft.runtime.ReadyLoop;
import dev.faultline.store.KvCommand;
import dev.faultline.store.KvQuery;
import dev.faultline.store.KvResult;
import dev.faultline.store.KvStateMachine;
import dev.faultline.store.StoreOptions;
import dev.faultline.workloads.Command;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated server running the production {@link ReadyLoop} (persist, sync, release durable
 * replies, apply, advance, snapshot, answer requests) over a simulated disk and network, driven by
 * simulated events. While a sync is in flight or the process is paused, inputs wait in a backlog
 * and are stepped together afterwards (group commit). The store's shard rebuilds run as simulated
 * events too, so writes land between a rebuild's freeze and its swap at times the seed decides.
 */
final class SimNode {
  /**
   * Four shards, rebuilt once below half a peak of at least 16 keys, so the churn workload's waves
   * set off rebuilds (the thresholds the lost-rebuild-writes bug uses, so only the bug differs).
   */
  private static final StoreOptions STORE =
      StoreOptions.DEFAULT.withShards(4).withRebuildThreshold(0.5, 16);

  final int index;
  final String id;
  final SimDisk disk = new SimDisk();
  private final Simulation sim;
  private final RaftConfig config;
  private final StoreOptions store;
  RaftCore core;
  private ReadyLoop loop;
  boolean up;
  boolean paused;
  private boolean syncing;
  private Ready inProgress;
  int incarnation;
  private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();

  SimNode(Simulation sim, int index, RaftConfig config, boolean lostRebuildWrites) {
    this.sim = sim;
    this.index = index;
    this.id = config.id();
    this.config = config;
    this.store = STORE.withLostRebuildWrites(lostRebuildWrites);
  }

  /** Starts (or restarts) the process from what its disk durably holds. */
  void start(SplittableRandom random) {
    LogStorage storage = disk.open();
    int life = incarnation + 1;
    KvStateMachine machine = new KvStateMachine(store, task -> sim.rebuildLater(this, life, task));
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
    core = new RaftCore(config, storage, random, data, snap.index());
    loop =
        new ReadyLoop(
            core,
            storage,
            disk,
            machine,
            messages -> sim.send(this, messages),
            sim.config.snapshotEvery(),
            snap.index(),
            new ReadyLoop.Observer() {
              @Override
              public void appended(List<Entry> entries) {
                sim.monitor.appended(SimNode.this, entries);
              }

              @Override
              public void applied(Entry e) {
                sim.monitor.applied(SimNode.this, e);
              }
            });
    up = true;
    paused = false;
    syncing = false;
    inProgress = null;
    incarnation = life;
    sim.monitor.started(this);
  }

  /** The process dies: unanswered requests are never answered, unsynced writes may be lost. */
  void crash(SplittableRandom random) {
    up = false;
    disk.crash(random, true);
    backlog.clear();
    core = null;
    loop = null;
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

  /** A task of the store's rebuild executor; a paused process runs it once resumed. */
  void rebuildTask(int life, Runnable task) {
    if (!up || incarnation != life) {
      return; // the process (and its map) died
    }
    if (paused) {
      backlog.add(task);
      return;
    }
    task.run();
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

  /**
   * Hands a client's command to the loop, as the node's API layer does. A refusal comes at once and
   * names the leader the node knows; a not-leader answer that comes later means leadership was lost
   * after the read was accepted, and names no one.
   */
  private void handle(Request r) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    Command c = r.command();
    if (c instanceof Command.Read) {
      loop.read(new KvQuery(bytes(c.key())).encode(), f);
    } else {
      loop.propose(encode(c), f);
    }
    boolean atOnce = f.isDone();
    f.whenComplete((result, error) -> answer(r, result, error, atOnce));
  }

  private static byte[] encode(Command c) {
    KvCommand cmd;
    if (c instanceof Command.Write w) {
      cmd = new KvCommand.Put(bytes(w.key()), bytes(w.value()), 0, 0);
    } else if (c instanceof Command.Cas cas) {
      cmd = new KvCommand.Cas(bytes(cas.key()), bytes(cas.expected()), bytes(cas.value()), 0, 0);
    } else if (c instanceof Command.Delete d) {
      cmd = new KvCommand.Delete(bytes(d.key()), 0, 0);
    } else {
      throw new IllegalArgumentException(
          "the simulator cannot run "
              + c.f()
              + " ops; --workload is one of "
              + SimConfig.WORKLOADS);
    }
    return cmd.encode();
  }

  private void answer(Request r, byte[] result, Throwable error, boolean atOnce) {
    if (error instanceof NotLeaderException) {
      sim.complete(r, OpType.FAIL, null, id, atOnce ? "not-leader" : "leadership-lost");
    } else if (error instanceof OutcomeUnknownException) {
      sim.complete(r, OpType.INFO, null, id, "outcome-unknown");
    } else if (error != null) {
      sim.complete(r, OpType.INFO, null, id, error.toString());
    } else if (r.command() instanceof Command.Read) {
      byte[] value = KvQuery.decodeResult(result);
      Long v = value == null ? null : Long.valueOf(new String(value, StandardCharsets.UTF_8));
      sim.complete(r, OpType.OK, v, id, null);
    } else {
      KvResult kv = KvResult.decode(result);
      if (kv instanceof KvResult.Done) {
        sim.complete(r, OpType.OK, null, id, null);
      } else if (kv instanceof KvResult.CasMismatch) {
        sim.complete(r, OpType.FAIL, null, id, "cas-mismatch");
      } else {
        sim.complete(r, OpType.FAIL, null, id, "rejected");
      }
    }
  }

  // ------------------------------------------------------------------ the ready loop

  private void pump() {
    try {
      while (up && !busy() && core.hasReady()) {
        Ready rd = loop.persist();
        if (rd.needsSync()) {
          syncing = true;
          inProgress = rd;
          sim.syncLater(this);
          return;
        }
        finish(rd);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
    try {
      finish(rd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    drain();
  }

  private void finish(Ready rd) throws IOException {
    loop.release(rd);
    loop.settle();
    sim.monitor.observe(this);
    sim.nemesis.electionsObserved();
  }

  /** Requests this node holds that have not been answered (liveness: none after healing). */
  int pendingRequests() {
    return loop == null ? 0 : loop.pending();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(long v) {
    return bytes(Long.toString(v));
  }

  @Override
  public String toString() {
    return up ? core.toString() + (paused ? " paused" : "") : id + " down";
  }
}
