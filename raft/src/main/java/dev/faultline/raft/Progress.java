package dev.faultline.raft;

/**
 * The leader's view of one follower's log (etcd's tracker.Progress): {@code match} is known to
 * equal the leader's log, {@code next} is where to send from. In PROBE the leader sends one
 * AppendEntries per heartbeat until it finds the match; in REPLICATE it pipelines within the
 * inflight window; in SNAPSHOT it streams the snapshot and sends no entries.
 */
final class Progress {
  enum State {
    PROBE,
    REPLICATE,
    SNAPSHOT
  }

  long match;
  long next;
  State state = State.PROBE;

  /** In PROBE: an AppendEntries is out and unanswered, so wait before sending another. */
  boolean probeSent;

  /** Heard from since the last check-quorum round. */
  boolean recentActive;

  /** In SNAPSHOT: the index of the snapshot being sent and how many bytes the follower holds. */
  long pendingSnapshot;

  long snapshotOffset;

  /** In SNAPSHOT: no chunk was acknowledged since the last heartbeat, so resend. */
  boolean snapshotStalled;

  /**
   * The highest commit index sent to this follower in an AppendEntries. An AppendEntries that is
   * out carries the commit of its time; the newer one goes with the next, so a commit alone is sent
   * only to a follower with nothing out ({@link #owesCommit}).
   */
  long commitSent;

  final Inflights inflights;

  Progress(long next, int maxInflight, long maxInflightBytes) {
    this.next = next;
    this.inflights = new Inflights(maxInflight, maxInflightBytes);
  }

  /**
   * True when the follower was not told of {@code committed} and no AppendEntries is out to it
   * whose answer would bring the next one: only then does it need one for the commit alone.
   */
  boolean owesCommit(long committed) {
    return commitSent < committed && !(state == State.REPLICATE && inflights.count() > 0);
  }

  void becomeProbe() {
    if (state == State.SNAPSHOT) {
      next = Math.max(match + 1, pendingSnapshot + 1);
    } else {
      next = match + 1;
    }
    state = State.PROBE;
    probeSent = false;
    pendingSnapshot = 0;
    inflights.reset();
  }

  void becomeReplicate() {
    state = State.REPLICATE;
    next = match + 1;
    probeSent = false;
    pendingSnapshot = 0;
    inflights.reset();
  }

  void becomeSnapshot(long snapshotIndex) {
    state = State.SNAPSHOT;
    pendingSnapshot = snapshotIndex;
    snapshotOffset = 0;
    snapshotStalled = false;
    probeSent = false;
    inflights.reset();
  }

  /** Records an acknowledged match; returns whether {@code match} moved. */
  boolean maybeUpdate(long index) {
    boolean updated = false;
    if (match < index) {
      match = index;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, index + 1);
    return updated;
  }

  /**
   * Moves {@code next} back after a refusal of the AppendEntries at {@code rejected}; returns false
   * when the refusal is stale (answers a message sent before a later match or probe).
   */
  boolean maybeDecrTo(long rejected, long matchHint) {
    if (state == State.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
    probeSent = false;
    return true;
  }

  boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflights.full();
      case SNAPSHOT -> true;
    };
  }

  @Override
  public String toString() {
    return state + " match=" + match + " next=" + next;
  }
}
