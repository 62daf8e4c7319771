package dev.faultline.store;

/**
 * A point-in-time reading of a {@link ShardedMap}'s size and rebuild counters; the counters only
 * grow for the life of the map (a snapshot restore does not reset them).
 *
 * @param shards the number of shards
 * @param keys live keys
 * @param liveBytes the sum of live key and value lengths
 * @param rebuildsStarted shard rebuilds begun
 * @param rebuildsCompleted shard rebuilds swapped in
 * @param entriesMoved entries copied into rebuilt shards
 * @param reclaimedBytesEstimate hash-table memory returned by rebuilds, estimated from table
 *     capacities (4 bytes per slot, compressed references)
 */
public record StoreStats(
    int shards,
    long keys,
    long liveBytes,
    long rebuildsStarted,
    long rebuildsCompleted,
    long entriesMoved,
    long reclaimedBytesEstimate) {}
