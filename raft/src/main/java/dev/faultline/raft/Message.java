package dev.faultline.raft;

import java.util.List;

/**
 * A message between Raft nodes. Every message names its sender, its addressee and the sender's
 * term; a receiver first reconciles terms (§5.1) and then handles the message by its kind.
 */
public sealed interface Message
    permits Message.PreVote,
        Message.PreVoteResponse,
        Message.RequestVote,
        Message.RequestVoteResponse,
        Message.AppendEntries,
        Message.AppendResponse,
        Message.Heartbeat,
        Message.HeartbeatResponse,
        Message.InstallSnapshot,
        Message.SnapshotResponse,
        Message.TimeoutNow {

  String from();

  String to();

  long term();

  /**
   * Asks whether the receiver would vote for the sender in {@code term} (the sender's term + 1)
   * without anyone changing term (dissertation §9.6).
   */
  record PreVote(String from, String to, long term, long lastIndex, long lastTerm)
      implements Message {}

  /** Answer to a {@link PreVote}; a grant carries the proposed term, a refusal the voter's. */
  record PreVoteResponse(String from, String to, long term, boolean granted) implements Message {}

  /**
   * RequestVote (§5.2); {@code transfer} marks a campaign started by a leadership transfer, which
   * voters honour even while they still hear from a leader.
   */
  record RequestVote(
      String from, String to, long term, long lastIndex, long lastTerm, boolean transfer)
      implements Message {}

  record RequestVoteResponse(String from, String to, long term, boolean granted)
      implements Message {}

  /** AppendEntries (§5.3): entries following (prevIndex, prevTerm), and the leader's commit. */
  record AppendEntries(
      String from,
      String to,
      long term,
      long prevIndex,
      long prevTerm,
      List<Entry> entries,
      long commit)
      implements Message {
    public AppendEntries {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Answer to {@link AppendEntries} or to a completed snapshot. On success {@code index} is the
   * highest index known to match the leader's log; on refusal it is the refused prevIndex, and
   * (hintIndex, hintTerm) is the follower's last entry at or below it whose term is at most the
   * leader's prevTerm, so the leader can skip a whole conflicting term at once.
   */
  record AppendResponse(
      String from, String to, long term, boolean success, long index, long hintIndex, long hintTerm)
      implements Message {}

  /**
   * The leader's periodic authority claim; {@code commit} never exceeds what the follower is known
   * to hold, and {@code readSeq} identifies the ReadIndex round it confirms (0 for none).
   */
  record Heartbeat(String from, String to, long term, long commit, long readSeq)
      implements Message {}

  record HeartbeatResponse(String from, String to, long term, long readSeq) implements Message {}

  /** One chunk of the leader's snapshot (§7), starting at byte {@code offset}. */
  record InstallSnapshot(
      String from, String to, long term, SnapshotMeta meta, long offset, byte[] chunk, boolean done)
      implements Message {}

  /** Acknowledges snapshot chunks: the follower holds {@code nextOffset} bytes of that snapshot. */
  record SnapshotResponse(String from, String to, long term, long snapshotIndex, long nextOffset)
      implements Message {}

  /** Tells a caught-up follower to campaign at once (leadership transfer, dissertation §3.10). */
  record TimeoutNow(String from, String to, long term) implements Message {}
}
