package dev.faultline.raft.runtime;

import dev.faultline.raft.Entry;
import dev.faultline.raft.LogStorage;
import dev.faultline.raft.MembershipChange;
import dev.faultline.raft.Message;
import dev.faultline.raft.MessageCodec;
import dev.faultline.raft.ProposeResult;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.RaftCore;
import dev.faultline.raft.ReadState;
import dev.faultline.raft.Ready;
import dev.faultline.raft.Role;
import dev.faultline.raft.SnapshotMeta;
import dev.faultline.raft.StateMachine;
import dev.faultline.raft.Transport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link RaftCore} in production: one event-loop thread steps inbound messages and client
 * requests, ticks on real time, persists each batch with a single {@link LogStorage#sync()} (group
 * commit) before releasing the messages that promise durability, applies committed entries to the
 * {@link StateMachine}, and completes client futures. Futures complete on the loop thread; chain
 * with the {@code *Async} methods for heavy work.
 *
 * <p>A proposal's future fails with {@link NotLeaderException} when this node does not lead (it had
 * no effect), and with {@link OutcomeUnknownException} when leadership is lost after the entry was
 * appended but before it was known committed.
 */
public final class RaftNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());

  private record PendingProposal(long term, CompletableFuture<byte[]> future) {}

  private record PendingRead(byte[] query, CompletableFuture<byte[]> future, long[] index) {}

  /** Work for the loop; {@code future} (may be null) is failed if the node stops first. */
  private record Task(CompletableFuture<?> future, Runnable work) {}

  private final RaftConfig config;
  private final NodeOptions options;
  private final LogStorage storage;
  private final SnapshotStore snapshots;
  private final StateMachine stateMachine;
  private final Transport transport;
  private final LinkedBlockingQueue<Task> inbox = new LinkedBlockingQueue<>();
  private final Map<Long, PendingProposal> proposals = new HashMap<>();
  private final Map<Long, PendingRead> reads = new HashMap<>();
  private final TreeMap<Long, List<PendingRead>> confirmedReads = new TreeMap<>();
  private final Thread loop;
  private final CompletableFuture<String> failed = new CompletableFuture<>();

  private RaftCore core;
  private volatile boolean running;
  private volatile NodeStatus status;
  private volatile Map<String, Long> replicationLag = Map.of();
  private long applied;
  private long snapshotIndex;
  private long leaderTerm = -1;
  private long readSeq;

  public RaftNode(
      RaftConfig config,
      NodeOptions options,
      LogStorage storage,
      SnapshotStore snapshots,
      StateMachine stateMachine,
      Transport transport) {
    this.config = config;
    this.options = options;
    this.storage = storage;
    this.snapshots = snapshots;
    this.stateMachine = stateMachine;
    this.transport = transport;
    this.loop = new Thread(this::run, "raft-" + config.id());
    this.loop.setDaemon(true);
    this.status = new NodeStatus(config.id(), Role.FOLLOWER, 0, null, 0, 0);
  }

  /** Restores from storage and the snapshot store, then starts the transport and the loop. */
  public void start() throws IOException {
    SnapshotMeta snap = storage.snapshot();
    byte[] data = null;
    if (snap.index() > 0) {
      data = snapshots.load(snap);
      if (data == null) {
        throw new IOException(
            "node "
                + config.id()
                + ": log storage names a snapshot at index "
                + snap.index()
                + " term "
                + snap.term()
                + " but the snapshot store does not hold it; restore the snapshot files");
      }
      if (stateMachine.appliedIndex() < snap.index()) {
        stateMachine.restoreSnapshot(snap.index(), new ByteArrayInputStream(data));
      }
    }
    applied = Math.max(stateMachine.appliedIndex(), snap.index());
    snapshotIndex = snap.index();
    core = new RaftCore(config, storage, new SplittableRandom(), data, applied);
    running = true;
    transport.start(this::receive);
    loop.start();
  }

  public String id() {
    return config.id();
  }

  public NodeStatus status() {
    return status;
  }

  /**
   * Completes with a one-line reason when the event loop stops on a fatal error (a storage failure,
   * a broken invariant, or the core learning that this node lost acknowledged state); the node then
   * serves nothing and its process should exit. Never completes on {@link #close}.
   */
  public CompletableFuture<String> failed() {
    return failed;
  }

  /** The reason the event loop stopped on a fatal error, or null while it runs (or was closed). */
  public String failure() {
    return failed.getNow(null);
  }

  /**
   * How many entries each other member's log trails this leader's last index by, as this leader
   * knows it (from the followers' acknowledgements), refreshed every tick; empty on a node that
   * does not lead.
   */
  public Map<String, Long> replicationLag() {
    return replicationLag;
  }

  /** Replicates {@code command}; completes with the state machine's result once applied here. */
  public CompletableFuture<byte[]> propose(byte[] command) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    submit(
        f,
        () -> {
          ProposeResult r = core.propose(command);
          if (r instanceof ProposeResult.Accepted a) {
            proposals.put(a.index(), new PendingProposal(a.term(), f));
          } else if (r instanceof ProposeResult.Refused no) {
            f.completeExceptionally(new NotLeaderException(no.reason(), no.leader()));
          }
        });
    return f;
  }

  /** A linearizable read: ReadIndex, then {@link StateMachine#query} once applied that far. */
  public CompletableFuture<byte[]> read(byte[] query) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    submit(
        f,
        () -> {
          long seq = ++readSeq;
          if (!core.readIndex(ByteBuffer.allocate(8).putLong(seq).array())) {
            f.completeExceptionally(notLeader());
            return;
          }
          reads.put(seq, new PendingRead(query, f, new long[1]));
        });
    return f;
  }

  /** Asks the leader to hand leadership to {@code to}; true when the transfer started. */
  public CompletableFuture<Boolean> transferLeadership(String to) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    submit(f, () -> f.complete(core.transferLeadership(to)));
    return f;
  }

  /** Proposes a membership change; completes with its log index once applied here. */
  public CompletableFuture<Long> changeMembership(MembershipChange change) {
    CompletableFuture<byte[]> inner = new CompletableFuture<>();
    CompletableFuture<Long> f = new CompletableFuture<>();
    submit(
        f,
        () -> {
          ProposeResult r = core.changeMembership(change);
          if (r instanceof ProposeResult.Accepted a) {
            proposals.put(a.index(), new PendingProposal(a.term(), inner));
            inner.whenComplete(
                (v, e) -> {
                  if (e != null) {
                    f.completeExceptionally(e);
                  } else {
                    f.complete(a.index());
                  }
                });
          } else if (r instanceof ProposeResult.Refused no) {
            f.completeExceptionally(new NotLeaderException(no.reason(), no.leader()));
          }
        });
    return f;
  }

  private void submit(CompletableFuture<?> f, Runnable task) {
    if (!running) {
      f.completeExceptionally(new IllegalStateException("node " + config.id() + " is stopped"));
      return;
    }
    inbox.add(new Task(f, task));
  }

  private void receive(String from, byte[] bytes) {
    if (!running) {
      return;
    }
    inbox.add(
        new Task(
            null,
            () -> {
              Message m;
              try {
                m = MessageCodec.decode(bytes);
              } catch (IllegalArgumentException e) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "node {0}: dropped a message from {1}: {2}",
                    config.id(),
                    from,
                    e.getMessage());
                return;
              }
              core.step(m);
            }));
  }

  private void run() {
    long tickNanos = TimeUnit.MILLISECONDS.toNanos(options.tickMillis());
    long nextTick = System.nanoTime() + tickNanos;
    while (running) {
      try {
        long wait = nextTick - System.nanoTime();
        Task task = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : inbox.poll();
        for (int n = 0; task != null && n < options.maxBatch(); n++) {
          task.work().run();
          task = n + 1 < options.maxBatch() ? inbox.poll() : null;
        }
        long now = System.nanoTime();
        if (now >= nextTick) {
          core.tick();
          nextTick = Math.max(nextTick + tickNanos, now);
          publishReplicationLag();
        }
        processReady();
        if (core.stateLoss() != null) {
          stop(core.stateLoss(), null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | IOException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        stop("node " + config.id() + ": event loop stopped: " + why.replace('\n', ' '), e);
      }
    }
    failAll(new OutcomeUnknownException("node " + config.id() + " stopped"));
  }

  /** Stops the loop on a fatal error: nothing more is stepped, persisted or answered. */
  private void stop(String reason, Throwable cause) {
    running = false;
    if (cause == null) {
      LOG.log(System.Logger.Level.ERROR, reason);
    } else {
      LOG.log(System.Logger.Level.ERROR, reason, cause);
    }
    failed.complete(reason);
  }

  private void processReady() throws IOException {
    while (core.hasReady()) {
      Ready rd = core.ready();
      send(rd.messages());
      if (rd.snapshot() != null) {
        SnapshotMeta meta = rd.snapshot().meta();
        snapshots.save(meta, rd.snapshot().data());
        stateMachine.restoreSnapshot(meta.index(), new ByteArrayInputStream(rd.snapshot().data()));
        storage.installSnapshot(meta);
        applied = meta.index();
        snapshotIndex = meta.index();
      }
      storage.append(rd.entries());
      if (rd.hardState() != null) {
        storage.saveHardState(rd.hardState());
      }
      if (rd.needsSync()) {
        storage.sync(); // group commit: one sync for everything stepped since the last
      }
      send(rd.persistedMessages());
      apply(rd.committed());
      for (ReadState rs : rd.readStates()) {
        PendingRead r = reads.remove(ByteBuffer.wrap(rs.context()).getLong());
        if (r != null) {
          r.index[0] = rs.index();
          confirmedReads.computeIfAbsent(rs.index(), k -> new ArrayList<>()).add(r);
        }
      }
      core.advance(rd);
      maybeSnapshot();
    }
    // Published before futures fail, so a caller that sees the failure sees the new role.
    status =
        new NodeStatus(
            config.id(), core.role(), core.term(), core.leader(), core.commitIndex(), applied);
    serveReads();
    checkLeadership();
  }

  private void publishReplicationLag() {
    if (core.role() != Role.LEADER) {
      if (!replicationLag.isEmpty()) {
        replicationLag = Map.of();
      }
      return;
    }
    long last = core.lastIndex();
    var lag = new TreeMap<String, Long>();
    for (String peer : core.membership().voters()) {
      addLag(lag, peer, last);
    }
    for (String peer : core.membership().learners()) {
      addLag(lag, peer, last);
    }
    replicationLag = Collections.unmodifiableMap(lag);
  }

  private void addLag(Map<String, Long> lag, String peer, long last) {
    long match = core.matchIndex(peer);
    if (!peer.equals(config.id()) && match >= 0) {
      lag.put(peer, Math.max(0, last - match));
    }
  }

  private void send(List<Message> messages) {
    for (Message m : messages) {
      transport.send(m.to(), MessageCodec.encode(m));
    }
  }

  private void apply(List<Entry> committed) {
    for (Entry e : committed) {
      // Entries that are not commands (the leader's no-op, configurations) reach the state
      // machine as empty commands, so its applied index follows the log exactly.
      byte[] result =
          stateMachine.apply(e.index(), e.type() == Entry.Type.COMMAND ? e.data() : new byte[0]);
      applied = e.index();
      PendingProposal p = proposals.remove(e.index());
      if (p == null) {
        continue;
      }
      if (p.term() == e.term()) {
        p.future().complete(result);
      } else {
        p.future()
            .completeExceptionally(
                new OutcomeUnknownException(
                    "node " + config.id() + ": entry " + e.index() + " was replaced"));
      }
    }
  }

  private void serveReads() {
    while (!confirmedReads.isEmpty() && confirmedReads.firstKey() <= applied) {
      for (PendingRead r : confirmedReads.pollFirstEntry().getValue()) {
        try {
          r.future().complete(stateMachine.query(r.query()));
        } catch (RuntimeException e) {
          r.future().completeExceptionally(e);
        }
      }
    }
  }

  /** Fails what depended on leadership once it is gone (§8: reads; proposals as unknown). */
  private void checkLeadership() {
    boolean leads = core.role() == Role.LEADER;
    if (leads && leaderTerm == core.term()) {
      return;
    }
    if (!proposals.isEmpty()) {
      String why =
          "node "
              + config.id()
              + " lost leadership (now "
              + core.role()
              + " in term "
              + core.term()
              + ") before the entry was known committed";
      for (PendingProposal p : proposals.values()) {
        p.future().completeExceptionally(new OutcomeUnknownException(why));
      }
      proposals.clear();
    }
    if (!reads.isEmpty()) {
      for (PendingRead r : reads.values()) {
        r.future().completeExceptionally(notLeader());
      }
      reads.clear();
    }
    leaderTerm = leads ? core.term() : -1;
  }

  private NotLeaderException notLeader() {
    return new NotLeaderException(
        "node " + config.id() + " is not the leader in term " + core.term() + "; ask the leader",
        core.leader());
  }

  private void maybeSnapshot() throws IOException {
    if (applied - snapshotIndex < options.snapshotEvery() || applied > core.commitIndex()) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    stateMachine.writeSnapshot(out);
    byte[] data = out.toByteArray();
    SnapshotMeta meta =
        new SnapshotMeta(
            applied,
            core.termAt(applied),
            core.membership().voters(),
            core.membership().learners());
    snapshots.save(meta, data);
    storage.installSnapshot(meta);
    storage.sync();
    core.snapshotTaken(meta, data);
    snapshotIndex = applied;
  }

  private void failAll(RuntimeException e) {
    for (PendingProposal p : proposals.values()) {
      p.future().completeExceptionally(e);
    }
    proposals.clear();
    for (PendingRead r : reads.values()) {
      r.future().completeExceptionally(e);
    }
    reads.clear();
    for (Iterator<List<PendingRead>> it = confirmedReads.values().iterator(); it.hasNext(); ) {
      for (PendingRead r : it.next()) {
        r.future().completeExceptionally(e);
      }
      it.remove();
    }
    for (Task task; (task = inbox.poll()) != null; ) {
      if (task.future() != null) {
        task.future()
            .completeExceptionally(
                new IllegalStateException("node " + config.id() + " stopped before the request"));
      }
    }
  }

  /** Stops the loop and the transport; outstanding requests fail with an unknown outcome. */
  @Override
  public void close() {
    running = false;
    inbox.add(new Task(null, () -> {}));
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    transport.close();
  }
}
