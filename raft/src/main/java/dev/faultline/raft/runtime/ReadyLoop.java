package dev.faultline.raft.runtime;

import dev.faultline.raft.Entry;
import dev.faultline.raft.HardState;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
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

    /**
     * A sync finished: {@code entries} entries written in {@code batches} batches became durable up
     * to {@code lastIndex}, the sync itself taking {@code nanos}.
     */
    default void synced(long lastIndex, int entries, int batches, long nanos) {}

    /**
     * A proposal made here was applied; the times are {@link System#nanoTime()} readings at each
     * stage: proposed, written to storage, synced here (0 when it was committed first, on the
     * others' acknowledgements), known committed, applied.
     */
    default void proposalApplied(
        long proposed, long written, long synced, long committed, long applied) {}

    /** A message handed to the transport (on the loop thread). */
    default void messageSent(Message m) {}

    /** A message from a peer, decoded, about to be stepped (on the loop thread). */
    default void messageReceived(Message m) {}
  }

  /**
   * A proposal waiting for its entry to apply, with the times it passed each stage (0: not yet).
   */
  private static final class PendingProposal {
    final long term;
    final CompletableFuture<byte[]> future;
    final long proposed = System.nanoTime();
    long written;
    long synced;

    PendingProposal(long term, CompletableFuture<byte[]> future) {
      this.term = term;
      this.future = future;
    }

    long term() {
      return term;
    }

    CompletableFuture<byte[]> future() {
      return future;
    }
  }

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

  /** Written batches whose durable replies wait for a sync not yet started. */
  private final ArrayDeque<Ready> unsynced = new ArrayDeque<>();

  /** Written batches covered by the sync in flight. */
  private final ArrayDeque<Ready> syncing = new ArrayDeque<>();

  private CompletableFuture<Long> syncInFlight;
  private long syncStarted;
  private long lastWritten;
  private HardState writtenHardState;
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
    this.lastWritten = storage.lastIndex();
    this.writtenHardState = storage.hardState();
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
   * Handles every ready batch with the sync off the loop thread (pipelined group commit,
   * dissertation §10.2.1): each batch is written and its committed entries applied at once, while
   * its durable replies wait; at most one sync runs on {@code syncer} at a time and, when done,
   * releases every batch written before it started. {@code wake} is called from the syncing thread
   * when a sync finishes; the host then calls this again on the loop thread.
   *
   * <p>Rules kept: a batch's {@link Ready#persistedMessages()} (acknowledgements, votes) leave only
   * after a sync that started after the batch was written; a leader counts its own entries only
   * then ({@link RaftCore#synced}); a batch that changes term or vote, installs a snapshot, or
   * replaces written entries first waits for every earlier batch to be synced and released and is
   * then synced before anything depends on it, so no acknowledgement ever describes entries that
   * were already replaced, and storage never sees a truncation while a sync is in flight.
   */
  public void pump(Executor syncer, Runnable wake) throws IOException {
    finishSync(false);
    while (core.hasReady()) {
      Ready rd = core.ready();
      if (needsBarrier(rd)) {
        // The core hears of these syncs through advance(rd), which covers them.
        flushPipeline(false);
        write(rd);
        storage.sync();
        release(rd);
        continue;
      }
      write(rd);
      core.advanceWritten(rd);
      applyAndRead(rd);
      // Past the barrier only entries need a sync (a commit index alone is not synced).
      if (!rd.entries().isEmpty() || !unsynced.isEmpty()) {
        unsynced.add(rd);
      } else if (syncInFlight != null) {
        syncing.add(rd); // its replies promise only earlier writes, which that sync covers
      } else {
        sender.accept(rd.persistedMessages()); // every earlier write is synced
      }
      if (syncInFlight == null) {
        startSync(syncer, wake);
      }
      maybeSnapshot();
      finishSync(false);
    }
    if (syncInFlight == null && !unsynced.isEmpty()) {
      startSync(syncer, wake);
    }
  }

  /** Waits for a sync in flight to end, releasing nothing (the node stops). */
  public void abandonSync() {
    CompletableFuture<Long> f = syncInFlight;
    if (f != null) {
      f.handle((v, e) -> null).join();
      syncInFlight = null;
    }
  }

  /**
   * Waits for the sync in flight and syncs every batch written since, releasing them all: before a
   * batch that must not overtake them, before a snapshot, and when the node stops. {@code tellCore}
   * is false while a batch is outstanding (its {@code advance} then covers them).
   */
  public void flushPipeline(boolean tellCore) throws IOException {
    finishSync(true, tellCore);
    if (!unsynced.isEmpty()) {
      syncStarted = System.nanoTime();
      storage.sync();
      syncing.addAll(unsynced);
      unsynced.clear();
      releaseSynced(lastWritten, tellCore);
    }
  }

  private boolean needsBarrier(Ready rd) {
    if (rd.snapshot() != null) {
      return true;
    }
    HardState hs = rd.hardState();
    if (hs != null
        && (hs.term() != writtenHardState.term()
            || !java.util.Objects.equals(hs.votedFor(), writtenHardState.votedFor()))) {
      return true;
    }
    return !rd.entries().isEmpty() && rd.entries().get(0).index() <= lastWritten;
  }

  private void startSync(Executor syncer, Runnable wake) {
    if (unsynced.isEmpty()) {
      return;
    }
    syncing.addAll(unsynced);
    unsynced.clear();
    long upTo = lastWritten;
    syncStarted = System.nanoTime();
    Runnable work = storage.startSync();
    CompletableFuture<Long> f = new CompletableFuture<>();
    syncInFlight = f;
    syncer.execute(
        () -> {
          try {
            work.run();
            f.complete(upTo);
          } catch (Throwable t) {
            f.completeExceptionally(t);
          }
          wake.run();
        });
  }

  private void finishSync(boolean wait) throws IOException {
    finishSync(wait, true);
  }

  /** Releases the sync in flight if it is done (or, with {@code wait}, once it is). */
  private void finishSync(boolean wait, boolean tellCore) throws IOException {
    CompletableFuture<Long> f = syncInFlight;
    if (f == null || (!wait && !f.isDone())) {
      return;
    }
    long upTo;
    try {
      upTo = f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    } finally {
      syncInFlight = null;
    }
    releaseSynced(upTo, tellCore);
  }

  private void releaseSynced(long upTo, boolean tellCore) {
    int entries = 0;
    int batches = syncing.size();
    List<Message> replies = new ArrayList<>();
    for (Ready rd : syncing) {
      entries += rd.entries().size();
      replies.addAll(rd.persistedMessages());
      stamp(rd.entries(), true);
    }
    sender.accept(replies.size() > 1 ? Acknowledgements.folded(replies) : replies);
    syncing.clear();
    observer.synced(upTo, entries, batches, System.nanoTime() - syncStarted);
    if (tellCore) {
      core.synced(upTo);
    }
  }

  /** Records when the proposals among {@code entries} were written (or synced) here. */
  private void stamp(List<Entry> entries, boolean synced) {
    if (proposals.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Entry e : entries) {
      PendingProposal p = proposals.get(e.index());
      if (p != null && p.term() == e.term()) {
        if (synced) {
          p.synced = now;
        } else {
          p.written = now;
        }
      }
    }
  }

  /** Sends the messages that need no durability and writes the batch (not yet synced). */
  private void write(Ready rd) throws IOException {
    sender.accept(rd.messages());
    if (rd.snapshot() != null) {
      SnapshotMeta meta = rd.snapshot().meta();
      snapshots.save(meta, rd.snapshot().data());
      stateMachine.restoreSnapshot(meta.index(), new ByteArrayInputStream(rd.snapshot().data()));
      storage.installSnapshot(meta);
      applied = meta.index();
      snapshotIndex = meta.index();
      lastWritten = storage.lastIndex();
    }
    if (!rd.entries().isEmpty()) {
      observer.appended(rd.entries());
      storage.append(rd.entries());
      lastWritten = rd.entries().get(rd.entries().size() - 1).index();
      stamp(rd.entries(), false);
    }
    if (rd.hardState() != null) {
      storage.saveHardState(rd.hardState());
      writtenHardState = rd.hardState();
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
    write(rd);
    return rd;
  }

  /**
   * The second half, once {@code rd} is durable: sends the replies that promised durability,
   * applies committed entries, records confirmed reads, advances the core and maybe snapshots.
   */
  public void release(Ready rd) throws IOException {
    sender.accept(rd.persistedMessages());
    applyAndRead(rd);
    core.advance(rd);
    maybeSnapshot();
  }

  private void applyAndRead(Ready rd) {
    apply(rd.committed());
    for (ReadState rs : rd.readStates()) {
      PendingRead r = reads.remove(ByteBuffer.wrap(rs.context()).getLong());
      if (r != null) {
        confirmedReads.computeIfAbsent(rs.index(), k -> new ArrayList<>()).add(r);
      }
    }
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
    long known = committed.isEmpty() || proposals.isEmpty() ? 0 : System.nanoTime();
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
        observer.proposalApplied(p.proposed, p.written, p.synced, known, System.nanoTime());
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
    // Compaction drops segments a sync in flight may be forcing: finish the pipeline first.
    flushPipeline(true);
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
