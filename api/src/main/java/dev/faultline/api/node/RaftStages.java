package dev.faultline.api.node;

import dev.faultline.api.metrics.RaftMetrics;
import dev.faultline.raft.Message;
import dev.faultline.raft.runtime.ReadyLoop;

/**
 * Passes the Raft loop's stage times, sync rounds and messages between nodes on to {@link
 * RaftMetrics}.
 */
final class RaftStages implements ReadyLoop.Observer {

  private final RaftMetrics metrics;

  RaftStages(RaftMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void synced(long lastIndex, int entries, int batches, long nanos) {
    metrics.syncRound(entries, batches);
  }

  @Override
  public void proposalApplied(
      long proposed, long written, long synced, long committed, long applied) {
    metrics.proposalApplied(proposed, written, synced, committed, applied);
  }

  @Override
  public void messageSent(Message m) {
    metrics.peerMessage("sent", type(m));
  }

  @Override
  public void messageReceived(Message m) {
    metrics.peerMessage("received", type(m));
  }

  /** The message's kind; an AppendEntries with no entries (a commit, a probe) is told apart. */
  static String type(Message m) {
    if (m instanceof Message.AppendEntries a && a.entries().isEmpty()) {
      return "EmptyAppendEntries";
    }
    return m.getClass().getSimpleName();
  }
}
