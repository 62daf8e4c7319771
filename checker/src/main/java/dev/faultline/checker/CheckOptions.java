package dev.faultline.checker;

import dev.faultline.checker.model.Model;
import java.time.Duration;

/**
 * How to check a history.
 *
 * @param model the model, or null to choose one from the history's ops
 * @param timeout the wall-time budget of the whole check; zero or negative means none
 * @param threads how many keys are searched at once
 * @param split check each key on its own (P-compositionality); always so for per-key models
 * @param memoLimitBytes the cap on the memory all memo tables may hold together
 * @param explain describe the linearization step by step (states in words); turn off for very large
 *     histories where only the verdict matters
 * @param stopAtFirstInvalid stop the other keys' searches once one key is invalid (the verdict is
 *     decided); false to decide every key
 */
public record CheckOptions(
    Model<?, ?> model,
    Duration timeout,
    int threads,
    boolean split,
    long memoLimitBytes,
    boolean explain,
    boolean stopAtFirstInvalid) {

  /**
   * Auto model, 60 s, one thread per core, split by key, memo cap of half the heap, explain, stop
   * at the first invalid key.
   */
  public static CheckOptions defaults() {
    return new CheckOptions(
        null,
        Duration.ofSeconds(60),
        Runtime.getRuntime().availableProcessors(),
        true,
        Runtime.getRuntime().maxMemory() / 2,
        true,
        true);
  }

  public CheckOptions withModel(Model<?, ?> m) {
    return new CheckOptions(
        m, timeout, threads, split, memoLimitBytes, explain, stopAtFirstInvalid);
  }

  public CheckOptions withTimeout(Duration t) {
    return new CheckOptions(model, t, threads, split, memoLimitBytes, explain, stopAtFirstInvalid);
  }

  public CheckOptions withThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + n);
    }
    return new CheckOptions(model, timeout, n, split, memoLimitBytes, explain, stopAtFirstInvalid);
  }

  public CheckOptions withSplit(boolean s) {
    return new CheckOptions(
        model, timeout, threads, s, memoLimitBytes, explain, stopAtFirstInvalid);
  }

  public CheckOptions withMemoLimitBytes(long bytes) {
    return new CheckOptions(model, timeout, threads, split, bytes, explain, stopAtFirstInvalid);
  }

  public CheckOptions withExplain(boolean e) {
    return new CheckOptions(model, timeout, threads, split, memoLimitBytes, e, stopAtFirstInvalid);
  }

  /** Whether to stop at the first invalid key (true) or decide every key (false). */
  public CheckOptions withStopAtFirstInvalid(boolean stop) {
    return new CheckOptions(model, timeout, threads, split, memoLimitBytes, explain, stop);
  }
}
