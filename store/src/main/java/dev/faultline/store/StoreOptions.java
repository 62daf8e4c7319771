package dev.faultline.store;

/**
 * How a {@link ShardedMap} and {@link KvStateMachine} are configured.
 *
 * @param shards the number of shards, a power of two
 * @param limits key and value size limits
 * @param sparseFraction a shard is rebuilt when its live entries fall below this fraction of its
 *     peak since the last rebuild
 * @param minRebuildPeak shards whose peak is below this many entries are never rebuilt (their table
 *     is too small to matter)
 * @param maxSessions how many client sessions are kept; the least recently used is dropped first
 * @param autoRebuild whether sparse shards are rebuilt in the background on their own
 * @param lostRebuildWrites a deliberate bug: writes that land while a shard is being rebuilt are
 *     dropped at the swap, as the Go ancestor did; off except to prove the testbed catches it
 */
public record StoreOptions(
    int shards,
    StoreLimits limits,
    double sparseFraction,
    int minRebuildPeak,
    int maxSessions,
    boolean autoRebuild,
    boolean lostRebuildWrites) {

  public static final StoreOptions DEFAULT =
      new StoreOptions(64, StoreLimits.DEFAULT, 0.25, 1024, 10_000, true, false);

  public StoreOptions {
    if (shards < 1 || Integer.bitCount(shards) != 1) {
      throw new IllegalArgumentException("shards must be a power of two >= 1, was " + shards);
    }
    if (limits == null) {
      throw new IllegalArgumentException("limits must be given");
    }
    if (!(sparseFraction > 0 && sparseFraction < 1)) {
      throw new IllegalArgumentException(
          "sparseFraction must be between 0 and 1 exclusive, was " + sparseFraction);
    }
    if (minRebuildPeak < 1) {
      throw new IllegalArgumentException("minRebuildPeak must be >= 1, was " + minRebuildPeak);
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be >= 1, was " + maxSessions);
    }
  }

  public StoreOptions withShards(int n) {
    return new StoreOptions(
        n, limits, sparseFraction, minRebuildPeak, maxSessions, autoRebuild, lostRebuildWrites);
  }

  public StoreOptions withLimits(StoreLimits l) {
    return new StoreOptions(
        shards, l, sparseFraction, minRebuildPeak, maxSessions, autoRebuild, lostRebuildWrites);
  }

  public StoreOptions withRebuildThreshold(double fraction, int minPeak) {
    return new StoreOptions(
        shards, limits, fraction, minPeak, maxSessions, autoRebuild, lostRebuildWrites);
  }

  public StoreOptions withMaxSessions(int n) {
    return new StoreOptions(
        shards, limits, sparseFraction, minRebuildPeak, n, autoRebuild, lostRebuildWrites);
  }

  public StoreOptions withAutoRebuild(boolean on) {
    return new StoreOptions(
        shards, limits, sparseFraction, minRebuildPeak, maxSessions, on, lostRebuildWrites);
  }

  public StoreOptions withLostRebuildWrites(boolean on) {
    return new StoreOptions(
        shards, limits, sparseFraction, minRebuildPeak, maxSessions, autoRebuild, on);
  }

  /**
   * The sparseness fraction in force: with {@code lostRebuildWrites} on, shards are rebuilt at
   * half-empty, so a delete-heavy workload triggers rebuilds often enough for the bug to show.
   */
  double effectiveSparseFraction() {
    return lostRebuildWrites ? Math.max(sparseFraction, 0.5) : sparseFraction;
  }

  /** The minimum peak in force; lowered with {@code lostRebuildWrites} for the same reason. */
  int effectiveMinRebuildPeak() {
    return lostRebuildWrites ? Math.min(minRebuildPeak, 16) : minRebuildPeak;
  }
}
