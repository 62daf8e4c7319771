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

  public void shardRebuilt(long reclaimedBytes) {
    rebuilds.increment();
    reclaimed.increment(Math.max(0, reclaimedBytes));
  }
}
