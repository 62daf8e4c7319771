package dev.faultline.raft.runtime;

import dev.faultline.raft.Entry;
import dev.faultline.raft.LogStorage;
import dev.faultline.raft.MembershipChange;
import dev.faultline.raft.Message;
import dev.faultline.raft.ProposeResult;
import dev.faultline.raft.RaftCore;
import dev.faultline.raft.ReadState;
import dev.faultline.raft.Ready;
import dev.faultline.raft.Role;
import dev.faultline.raft.SnapshotMeta;
import dev.faultline.raft.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The body of a node's event loop, without the thread, the clock or the inbox: it takes a {@link
 * RaftCore}'s {@link Ready} batches, persists them, releases the messages that promise durability
 * once synced, applies committed entries, takes snapshots, and completes the futures of proposals
 * and reads. {@link RaftNode} drives it from its thread with real disks and sockets; the
 * deterministic simulator drives the same code with a simulated disk and network, splitting each
 * batch at the sync ({@link #persist()}, then {@link #release(Ready)} once the sync is done).
 *
 * <p>Invariant: a proposal's future completes with the state machine's result only if the entry
 * applied at its index is the one it proposed (same term); otherwise it fails with {@link
 * OutcomeUnknownException}. A read completes only once the state machine has applied up to the
 * index its ReadIndex round confirmed. Not thread-safe: one thread calls every method.
 */
public final class ReadyLoop {

  /** What a host may watch as the loop runs (the simulator's safety monitor); no-ops by default. */
  public interface Observer {
    Observer NONE = new Observer() {};

    /** Entries about to be appended to the log. */
    default void appended(List<Entry> entries) {}

    /** An entry about to be applied to the state machine. */
    default void applied(Entry entry) {}
  }

  private record PendingProposal(long term, CompletableFuture<byte[]> future) {}

  private record PendingRead(byte[] query, CompletableFuture<byte[]> future) {}

  private final String id;
  private final RaftCore core;
  private final LogStorage storage;
  private final SnapshotStore snapshots;
  private final StateMachine stateMachine;
  private final Consumer<List<Message>> sender;
  private final long snapshotEvery;
  private final Observer observer;
  private final Map<Long, PendingProposal> proposals = new HashMap<>();
  private final Map<Long, PendingRead> reads = new HashMap<>();
  private final TreeMap<Long, List<PendingRead>> confirmedReads = new TreeMap<>();
  private long applied;
  private long snapshotIndex;
  private long leaderTerm = -1;
  private long readSeq;

  /**
   * @param core the core, already restored from {@code storage} up to {@code applied}
   * @param sender sends a batch of messages (best effort; the network may lose them)
   * @param snapshotEvery take a snapshot after this many entries applied since the last
   * @param applied the state machine's applied index at start (the snapshot's, or more)
   */
  public ReadyLoop(
      RaftCore core,
      LogStorage storage,
      SnapshotStore snapshots,
      StateMachine stateMachine,
      Consumer<List<Message>> sender,
      long snapshotEvery,
      long applied,
      Observer observer) {
    this.id = core.id();
    this.core = core;
    this.storage = storage;
    this.snapshots = snapshots;
    this.stateMachine = stateMachine;
    this.sender = sender;
    this.snapshotEvery = snapshotEvery;
    this.applied = applied;
    this.snapshotIndex = storage.snapshot().index();
    this.observer = observer;
  }

  public RaftCore core() {
    return core;
  }

  /** The index of the last entry applied to the state machine (or restored from a snapshot). */
  public long applied() {
    return applied;
  }

  /**
   * Proposes {@code command}; {@code f} completes with the state machine's result once applied, or
   * fails with {@link NotLeaderException} (no effect) or {@link OutcomeUnknownException}.
   */
  public void propose(byte[] command, CompletableFuture<byte[]> f) {
    track(core.propose(command), f);
  }

  /**
   * Proposes a membership change; {@code f} completes (with an empty result) once applied. Returns
   * what the core answered, so the caller learns the entry's index.
   */
  public ProposeResult changeMembership(MembershipChange change, CompletableFuture<byte[]> f) {
    return track(core.changeMembership(change), f);
  }

  private ProposeResult track(ProposeResult r, CompletableFuture<byte[]> f) {
    if (r instanceof ProposeResult.Accepted a) {
      proposals.put(a.index(), new PendingProposal(a.term(), f));
    } else if (r instanceof ProposeResult.Refused no) {
      f.completeExceptionally(new NotLeaderException(no.reason(), no.leader()));
    }
    return r;
  }

  /**
   * A linearizable read (§8, ReadIndex): {@code f} completes with {@link StateMachine#query} once
   * leadership is confirmed and the state machine has applied that far, or fails with {@link
   * NotLeaderException}.
   */
  public void read(byte[] query, CompletableFuture<byte[]> f) {
    long seq = ++readSeq;
    if (!core.readIndex(ByteBuffer.allocate(8).putLong(seq).array())) {
      f.completeExceptionally(notLeader());
      return;
    }
    reads.put(seq, new PendingRead(query, f));
  }

  /**
   * Handles every ready batch, syncing each that needs it before releasing its durable replies (the
   * production runtime's step after each round of inputs; {@link #settle()} follows).
   */
  public void drain() throws IOException {
    while (core.hasReady()) {
      Ready rd = persist();
      if (rd.needsSync()) {
        storage.sync(); // group commit: one sync for everything stepped since the last
      }
      release(rd);
    }
  }

  /**
   * The first half of one ready batch: sends the messages that need no durability, installs a
   * received snapshot, and writes entries and hard state (not yet synced). Returns the batch, or
   * null when the core has none; if {@link Ready#needsSync()}, the caller syncs the storage before
   * {@link #release(Ready)}.
   */
  public Ready persist() throws IOException {
    if (!core.hasReady()) {
      return null;
    }
    Ready rd = core.ready();
    sender.accept(rd.messages());
    if (rd.snapshot() != null) {
      SnapshotMeta meta = rd.snapshot().meta();
      snapshots.save(meta, rd.snapshot().data());
      stateMachine.restoreSnapshot(meta.index(), new ByteArrayInputStream(rd.snapshot().data()));
      storage.installSnapshot(meta);
      applied = meta.index();
      snapshotIndex = meta.index();
    }
    if (!rd.entries().isEmpty()) {
      observer.appended(rd.entries());
      storage.append(rd.entries());
    }
    if (rd.hardState() != null) {
      storage.saveHardState(rd.hardState());
    }
    return rd;
  }

  /**
   * The second half, once {@code rd} is durable: sends the replies that promised durability,
   * applies committed entries, records confirmed reads, advances the core and maybe snapshots.
   */
  public void release(Ready rd) throws IOException {
    sender.accept(rd.persistedMessages());
    apply(rd.committed());
    for (ReadState rs : rd.readStates()) {
      PendingRead r = reads.remove(ByteBuffer.wrap(rs.context()).getLong());
      if (r != null) {
        confirmedReads.computeIfAbsent(rs.index(), k -> new ArrayList<>()).add(r);
      }
    }
    core.advance(rd);
    maybeSnapshot();
  }

  /**
   * Answers the reads the applied state now covers, and fails what depended on a leadership that is
   * gone (§8: reads as not-leader; proposals as unknown, since they may still commit).
   */
  public void settle() {
    serveReads();
    checkLeadership();
  }

  /** Requests waiting for an answer: proposals, unconfirmed and confirmed reads. */
  public int pending() {
    int n = proposals.size() + reads.size();
    for (List<PendingRead> l : confirmedReads.values()) {
      n += l.size();
    }
    return n;
  }

  /** Fails every waiting request with {@code e} (the node stops). */
  public void failAll(RuntimeException e) {
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
  }

  private void apply(List<Entry> committed) {
    for (Entry e : committed) {
      observer.applied(e);
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
                    "node " + id + ": entry " + e.index() + " was replaced"));
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

  private void checkLeadership() {
    boolean leads = core.role() == Role.LEADER;
    if (leads && leaderTerm == core.term()) {
      return;
    }
    if (!proposals.isEmpty()) {
      String why =
          "node "
              + id
              + " lost leadership (now "
              + core.role()
              + " in term "
              + core.term()
              + ") before the entry was known committed";
      List<PendingProposal> lost = new ArrayList<>(proposals.values());
      proposals.clear();
      for (PendingProposal p : lost) {
        p.future().completeExceptionally(new OutcomeUnknownException(why));
      }
    }
    if (!reads.isEmpty()) {
      List<PendingRead> lost = new ArrayList<>(reads.values());
      reads.clear();
      for (PendingRead r : lost) {
        r.future().completeExceptionally(notLeader());
      }
    }
    leaderTerm = leads ? core.term() : -1;
  }

  private NotLeaderException notLeader() {
    return new NotLeaderException(
        "node " + id + " is not the leader in term " + core.term() + "; ask the leader",
        core.leader());
  }

  private void maybeSnapshot() throws IOException {
    if (applied - snapshotIndex < snapshotEvery || applied > core.commitIndex()) {
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
}
