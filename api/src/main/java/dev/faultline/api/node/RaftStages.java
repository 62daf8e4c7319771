package dev.faultline.api.node;

import dev.faultline.api.metrics.RaftMetrics;
import dev.faultline.raft.runtime.ReadyLoop;

/** Passes the Raft loop's stage times and sync rounds on to {@link RaftMetrics}. */
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
}
