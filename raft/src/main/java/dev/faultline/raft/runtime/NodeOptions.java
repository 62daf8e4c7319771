package dev.faultline.raft.runtime;

/**
 * How a {@link RaftNode} runs its core.
 *
 * @param tickMillis the length of one core tick in milliseconds
 * @param snapshotEvery take a snapshot and compact the log after this many applied entries
 * @param maxBatch the most inbound events stepped before one persist-and-sync round
 */
public record NodeOptions(int tickMillis, long snapshotEvery, int maxBatch) {
  public NodeOptions {
    if (tickMillis < 1 || snapshotEvery < 1 || maxBatch < 1) {
      throw new IllegalArgumentException(
          "node options must be positive: tickMillis="
              + tickMillis
              + " snapshotEvery="
              + snapshotEvery
              + " maxBatch="
              + maxBatch);
    }
  }

  /**
   * 100 ms ticks (1 s to 2 s elections with the default 10-tick timeout), snapshot every 10,000.
   */
  public static NodeOptions defaults() {
    return new NodeOptions(100, 10_000, 1024);
  }
}
