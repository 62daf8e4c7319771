package dev.faultline.raft;

import dev.faultline.raft.Message.AppendEntries;
import dev.faultline.raft.Message.AppendResponse;
import dev.faultline.raft.Message.Heartbeat;
import dev.faultline.raft.Message.HeartbeatResponse;
import dev.faultline.raft.Message.InstallSnapshot;
import dev.faultline.raft.Message.SnapshotResponse;
import dev.faultline.raft.Message.TimeoutNow;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The leader's half of the core: log replication with per-follower flow control (§5.3), commitment
 * (§5.4.2), snapshots in chunks (§7), ReadIndex (§8), heartbeats and check-quorum, leadership
 * transfer and membership changes. Sends are batched: proposals and commits mark work that {@link
 * #flush()} turns into messages once per {@link RaftCore#ready()}.
 */
final class Replication {
  private final RaftCore c;
  private boolean appendsPending;

  /**
   * The commit index moved, or a follower's window emptied: send AppendEntries, even empty, to the
   * followers that owe a commit ({@link Progress#owesCommit}). A follower with an AppendEntries out
   * hears of the commit with the next one, sent when that one is answered: under load the commit
   * rides on entries instead of doubling the messages.
   */
  private boolean commitPending;

  /** Send AppendEntries to every follower even when empty (new members are probed at once). */
  private boolean probePending;

  Replication(RaftCore core) {
    this.c = core;
  }

  void reset() {
    appendsPending = false;
    commitPending = false;
    probePending = false;
  }

  void becomeLeader() {
    Progress self = c.tracker.get(c.id);
    if (self != null) {
      self.maybeUpdate(c.log.durableIndex());
      self.becomeReplicate();
    }
    // No membership change until everything before our term is applied (dissertation §4.1).
    c.pendingConfIndex = c.log.lastIndex();
    // §8: a new leader commits an entry of its own term to learn which entries are committed.
    append(Entry.Type.NOOP, new byte[0]);
  }

  Entry append(Entry.Type type, byte[] data) {
    Entry e = new Entry(c.log.lastIndex() + 1, c.term, type, data);
    c.log.append(List.of(e));
    appendsPending = true;
    return e;
  }

  void flush() {
    if (appendsPending || commitPending || probePending) {
      boolean probe = probePending;
      appendsPending = false;
      commitPending = false;
      probePending = false;
      for (Map.Entry<String, Progress> e : c.tracker.peers()) {
        boolean sendIfEmpty = probe || e.getValue().owesCommit(c.log.committed);
        if (!maybeSendAppend(e.getKey(), e.getValue(), sendIfEmpty)) {
          continue;
        }
        fill(e.getKey(), e.getValue());
      }
    }
    // §6.4: reads that arrived while a round was out share the next one.
    if (c.reads.needsRound()) {
      broadcastHeartbeat(c.reads.startRound());
    }
  }

  private void fill(String to, Progress pr) {
    while (maybeSendAppend(to, pr, false)) {
      // keeps the inflight window full; each call sends or returns false
    }
  }

  private boolean maybeSendAppend(String to, Progress pr, boolean sendIfEmpty) {
    if (pr.isPaused()) {
      return false;
    }
    long prevIndex = pr.next - 1;
    long prevTerm = c.log.term(prevIndex);
    List<Entry> ents = c.log.slice(pr.next, Long.MAX_VALUE, c.config.maxMsgBytes());
    if (prevTerm < 0 || ents == null) {
      return sendSnapshot(to, pr); // what the follower needs is compacted away
    }
    if (ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    c.send(new AppendEntries(c.id, to, c.term, prevIndex, prevTerm, ents, c.log.committed));
    pr.commitSent = Math.max(pr.commitSent, c.log.committed);
    if (pr.state == Progress.State.PROBE) {
      pr.probeSent = true;
    } else if (!ents.isEmpty()) {
      long last = ents.get(ents.size() - 1).index();
      long bytes = 0;
      for (Entry e : ents) {
        bytes += e.sizeBytes();
      }
      pr.next = last + 1;
      pr.inflights.add(last, bytes);
    }
    return true;
  }

  private boolean sendSnapshot(String to, Progress pr) {
    Ready.SnapshotInstall snap = c.localSnapshot;
    if (snap == null) {
      return false;
    }
    pr.becomeSnapshot(snap.meta().index());
    sendChunk(to, snap, 0);
    return true;
  }

  private void sendChunk(String to, Ready.SnapshotInstall snap, long offset) {
    int len = snap.data().length;
    int from = (int) Math.min(offset, len);
    int to2 = (int) Math.min((long) from + c.config.snapshotChunkBytes(), len);
    byte[] chunk = Arrays.copyOfRange(snap.data(), from, to2);
    c.send(new InstallSnapshot(c.id, to, c.term, snap.meta(), from, chunk, to2 >= len));
  }

  void tick() {
    c.heartbeatElapsed++;
    c.electionElapsed++;
    if (c.electionElapsed >= c.config.electionTicks()) {
      c.electionElapsed = 0;
      if (c.config.checkQuorum()) {
        // §6.2 / check-quorum: a leader cut off from a majority stops acting as one.
        if (!c.tracker.quorumActive()) {
          c.becomeFollower(c.term, null);
          return;
        }
        c.tracker.resetRecentActive();
      }
      c.leadTransferee = null; // a transfer that did not finish in an election timeout is abandoned
    }
    if (c.heartbeatElapsed >= c.config.heartbeatTicks()) {
      c.heartbeatElapsed = 0;
      // Also the retry of a round whose answers were lost: it covers every read waiting.
      broadcastHeartbeat(c.reads.hasPending() ? c.reads.startRound() : 0);
    }
  }

  private void broadcastHeartbeat(long readSeq) {
    for (Map.Entry<String, Progress> e : c.tracker.peers()) {
      String to = e.getKey();
      Progress pr = e.getValue();
      // The commit sent never exceeds what the follower is known to hold.
      c.send(new Heartbeat(c.id, to, c.term, Math.min(pr.match, c.log.committed), readSeq));
      if (pr.state == Progress.State.SNAPSHOT && c.localSnapshot != null) {
        if (c.localSnapshot.meta().index() != pr.pendingSnapshot) {
          sendSnapshot(to, pr);
        } else if (pr.snapshotStalled) {
          sendChunk(to, c.localSnapshot, pr.snapshotOffset);
        }
        pr.snapshotStalled = true;
      }
    }
  }

  void step(Message m) {
    Progress pr = c.tracker.get(m.from());
    if (pr == null) {
      return;
    }
    if (m instanceof AppendResponse r) {
      onAppendResponse(r, pr);
    } else if (m instanceof HeartbeatResponse r) {
      pr.recentActive = true;
      pr.probeSent = false;
      if (pr.state == Progress.State.REPLICATE && pr.inflights.full()) {
        pr.inflights.freeFirstOne();
      }
      if (pr.match < c.log.lastIndex() || pr.state == Progress.State.PROBE) {
        maybeSendAppend(r.from(), pr, true);
      }
      if (r.readSeq() > 0) {
        c.readStates.addAll(c.reads.ack(r.from(), r.readSeq(), c.tracker.quorum()));
      }
    } else if (m instanceof SnapshotResponse r) {
      onSnapshotResponse(r, pr);
    }
  }

  private void onAppendResponse(AppendResponse r, Progress pr) {
    pr.recentActive = true;
    if (!r.success()) {
      long nextProbe = r.hintIndex();
      if (r.hintTerm() > 0) {
        nextProbe = c.log.findConflictByTerm(r.hintIndex(), r.hintTerm())[0];
      }
      if (pr.maybeDecrTo(r.index(), nextProbe)) {
        if (pr.state == Progress.State.REPLICATE) {
          pr.becomeProbe();
        }
        maybeSendAppend(r.from(), pr, true);
      }
      return;
    }
    if (!pr.maybeUpdate(r.index())) {
      return;
    }
    switch (pr.state) {
      case PROBE -> pr.becomeReplicate();
      case SNAPSHOT -> {
        if (pr.match >= pr.pendingSnapshot) {
          pr.becomeReplicate();
        }
      }
      case REPLICATE -> pr.inflights.freeLE(r.index());
    }
    if (maybeCommit() || pr.owesCommit(c.log.committed)) {
      commitPending = true;
    }
    fill(r.from(), pr);
    if (r.from().equals(c.leadTransferee) && pr.match == c.log.lastIndex()) {
      c.send(new TimeoutNow(c.id, r.from(), c.term));
    }
  }

  private void onSnapshotResponse(SnapshotResponse r, Progress pr) {
    pr.recentActive = true;
    Ready.SnapshotInstall snap = c.localSnapshot;
    if (pr.state != Progress.State.SNAPSHOT || snap == null) {
      return;
    }
    pr.snapshotStalled = false;
    if (snap.meta().index() != pr.pendingSnapshot) {
      sendSnapshot(r.from(), pr); // we compacted again since: send the newer one
      return;
    }
    if (r.snapshotIndex() != pr.pendingSnapshot || r.nextOffset() == pr.snapshotOffset) {
      return; // about an older snapshot, or a duplicate acknowledgement
    }
    pr.snapshotOffset = r.nextOffset();
    if (pr.snapshotOffset < snap.data().length) {
      sendChunk(r.from(), snap, pr.snapshotOffset);
    }
  }

  /** Commits the highest index a majority holds, if the rule of §5.4.2 allows. */
  private boolean maybeCommit() {
    long index = c.tracker.committedIndex();
    if (index <= c.log.committed) {
      return false;
    }
    // §5.4.2: only an entry of the current term is committed by counting replicas; earlier
    // entries commit with it (Figure 8 shows what goes wrong otherwise).
    if (!c.config.has(DeliberateBug.COMMIT_PREVIOUS_TERM) && c.log.term(index) != c.term) {
      return false;
    }
    c.log.commitTo(index);
    if (committedInTerm()) {
      for (byte[] context : c.reads.releaseHeld()) {
        startRead(context);
      }
    }
    return true;
  }

  private boolean committedInTerm() {
    return c.log.term(c.log.committed) == c.term;
  }

  void onStable(long index) {
    Progress self = c.tracker.get(c.id);
    if (self != null && self.maybeUpdate(index) && maybeCommit()) {
      commitPending = true;
    }
  }

  void onMembershipChanged() {
    maybeCommit();
    probePending = true; // probe new members even when there is nothing new to send
  }

  void read(byte[] context) {
    // §8: until it has committed an entry of its term the leader does not know the commit index.
    if (!committedInTerm()) {
      c.reads.hold(context);
      return;
    }
    startRead(context);
  }

  private void startRead(byte[] context) {
    if (c.tracker.quorum().voters().size() == 1
        || c.config.has(DeliberateBug.READ_WITHOUT_QUORUM_CHECK)) {
      c.readStates.add(new ReadState(c.log.committed, context));
      return;
    }
    c.reads.add(context, c.log.committed, c.id);
  }

  boolean transfer(String to) {
    if (to.equals(c.id) || !c.tracker.isVoter(to)) {
      return false;
    }
    if (to.equals(c.leadTransferee)) {
      return true;
    }
    c.leadTransferee = to;
    c.electionElapsed = 0;
    Progress pr = c.tracker.get(to);
    if (pr.match == c.log.lastIndex()) {
      c.send(new TimeoutNow(c.id, to, c.term));
    } else {
      maybeSendAppend(to, pr, true);
    }
    return true;
  }

  ProposeResult changeMembership(MembershipChange change) {
    if (c.pendingConfIndex > c.log.applied) {
      return refused(
          "the membership change at index " + c.pendingConfIndex + " is not applied yet; retry");
    }
    if (!committedInTerm()) {
      return refused("the leader has not committed an entry of its term yet; retry shortly");
    }
    if (c.leadTransferee != null) {
      return refused("leadership is moving to " + c.leadTransferee + "; retry there");
    }
    Membership next;
    try {
      next = change.applyTo(c.tracker.membership());
    } catch (IllegalArgumentException e) {
      return refused(e.getMessage());
    }
    if (change instanceof MembershipChange.PromoteLearner p) {
      Progress pr = c.tracker.get(p.id());
      if (pr == null || pr.match < c.log.committed) {
        return refused(
            "learner "
                + p.id()
                + " has not caught up (match "
                + (pr == null ? 0 : pr.match)
                + ", commit "
                + c.log.committed
                + "); retry when it has");
      }
    }
    Entry e = append(Entry.Type.CONFIG, next.encode());
    c.pendingConfIndex = e.index();
    return new ProposeResult.Accepted(c.term, e.index());
  }

  private ProposeResult refused(String why) {
    return new ProposeResult.Refused("node " + c.id + " term " + c.term + ": " + why, c.id);
  }
}
