package dev.faultline.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The callbacks through which the key-value state machine reports shard rebuilds (a shard is
 * rebuilt when deletes leave it sparse, to return memory). Thread-safe.
 */
public final class StoreMetrics {

  private final Counter rebuilds;
  private final Counter reclaimed;

  StoreMetrics(MeterRegistry registry) {
    this.rebuilds =
        Counter.builder("store.shard.rebuilds")
            .description("Shards rebuilt to reclaim memory")
            .register(registry);
    this.reclaimed =
        Counter.builder("store.reclaimed")
            .baseUnit("bytes")
            .description("Estimated bytes returned by shard rebuilds")
            .register(registry);
  }

  private long lastRebuilds;
  private long lastReclaimed;

  /** One shard was rebuilt, returning about {@code reclaimedBytes}. */
  public synchronized void shardRebuilt(long reclaimedBytes) {
    rebuilds.increment();
    reclaimed.increment(Math.max(0, reclaimedBytes));
  }

  /**
   * Reports the store's running totals (as its stats give them); the counters advance by the growth
   * since the previous report.
   */
  public synchronized void totals(long rebuildsCompleted, long reclaimedBytes) {
    if (rebuildsCompleted > lastRebuilds) {
      rebuilds.increment(rebuildsCompleted - lastRebuilds);
      lastRebuilds = rebuildsCompleted;
    }
    if (reclaimedBytes > lastReclaimed) {
      reclaimed.increment(reclaimedBytes - lastReclaimed);
      lastReclaimed = reclaimedBytes;
    }
  }
}
