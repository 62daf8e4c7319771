package dev.faultline.workloads.run;

import java.time.Duration;

/**
 * How a {@link WorkerPool} runs.
 *
 * @param concurrency client processes running at once (one thread each)
 * @param timeLimit length of the main phase
 * @param opLimit most main-phase ops to invoke ({@link Long#MAX_VALUE} for no limit)
 * @param opsPerSecond a rate limit over all processes, or 0 for none
 * @param finalReadAttempts how many times a final read is tried before its key is given up
 * @param finalReadBackoff the pause after a failed final read, times the attempt number
 */
public record PoolOptions(
    int concurrency,
    Duration timeLimit,
    long opLimit,
    double opsPerSecond,
    int finalReadAttempts,
    Duration finalReadBackoff) {

  public PoolOptions {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
    }
    if (timeLimit.isNegative()) {
      throw new IllegalArgumentException("time limit must not be negative, was " + timeLimit);
    }
    if (opLimit < 0) {
      throw new IllegalArgumentException("op limit must not be negative, was " + opLimit);
    }
    if (!(opsPerSecond >= 0) || Double.isInfinite(opsPerSecond)) {
      throw new IllegalArgumentException("rate must be a finite number >= 0, was " + opsPerSecond);
    }
    if (finalReadAttempts < 1) {
      throw new IllegalArgumentException(
          "final read attempts must be at least 1, was " + finalReadAttempts);
    }
  }

  /** Ten processes, 60 s, no op or rate limit, five tries per final read a second apart. */
  public static PoolOptions defaults() {
    return new PoolOptions(10, Duration.ofSeconds(60), Long.MAX_VALUE, 0, 5, Duration.ofSeconds(1));
  }

  public PoolOptions withConcurrency(int n) {
    return new PoolOptions(
        n, timeLimit, opLimit, opsPerSecond, finalReadAttempts, finalReadBackoff);
  }

  public PoolOptions withTimeLimit(Duration d) {
    return new PoolOptions(
        concurrency, d, opLimit, opsPerSecond, finalReadAttempts, finalReadBackoff);
  }

  public PoolOptions withOpLimit(long n) {
    return new PoolOptions(
        concurrency, timeLimit, n, opsPerSecond, finalReadAttempts, finalReadBackoff);
  }

  public PoolOptions withRate(double perSecond) {
    return new PoolOptions(
        concurrency, timeLimit, opLimit, perSecond, finalReadAttempts, finalReadBackoff);
  }

  public PoolOptions withFinalReads(int attempts, Duration backoff) {
    return new PoolOptions(concurrency, timeLimit, opLimit, opsPerSecond, attempts, backoff);
  }
}
