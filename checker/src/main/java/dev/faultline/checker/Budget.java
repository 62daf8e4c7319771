package dev.faultline.checker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits one check shares across its partitions: a deadline, a cap on the bytes the memo tables
 * may hold together, and a stop flag set when the verdict is already decided. Searches poll {@link
 * #shouldStop} every few thousand steps, so they stop within a millisecond or so of the flag.
 */
final class Budget {
  private final long deadlineNanos;
  private final long memoLimitBytes;
  private final AtomicLong memoBytes = new AtomicLong();
  private volatile String stopReason;

  Budget(long timeoutNanos, long memoLimitBytes) {
    long now = System.nanoTime();
    this.deadlineNanos = timeoutNanos <= 0 ? Long.MAX_VALUE : now + timeoutNanos;
    this.memoLimitBytes = memoLimitBytes;
  }

  boolean shouldStop() {
    return stopReason != null || System.nanoTime() - deadlineNanos > 0;
  }

  /** Why the searches must stop: the stop reason if one was set, else the deadline. */
  String whyStopped(String timeoutText) {
    String r = stopReason;
    return r != null ? r : "timeout: the " + timeoutText + " budget ran out";
  }

  void stop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  boolean stopped() {
    return stopReason != null;
  }

  /** Accounts for memo growth; false when the shared cap would be exceeded. */
  boolean reserve(long bytes) {
    return memoBytes.addAndGet(bytes) <= memoLimitBytes;
  }

  void release(long bytes) {
    memoBytes.addAndGet(-bytes);
  }

  long memoLimitBytes() {
    return memoLimitBytes;
  }
}
