package dev.faultline.api.node;

import dev.faultline.raft.ForwardingLogStorage;
import dev.faultline.raft.LogStorage;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link LogStorage} whose every sync takes a fixed extra time, as on a slower disk: a benchmark
 * and fault aid ({@code --fsync-delay-micros}), off by default. The delay is added after the real
 * sync, on whichever thread syncs, so a pipelined sync delays only its own thread.
 */
final class DelayedSyncStorage extends ForwardingLogStorage {

  private final long delayNanos;

  DelayedSyncStorage(LogStorage inner, long delayNanos) {
    super(inner);
    if (delayNanos <= 0) {
      throw new IllegalArgumentException("fsync delay must be positive, got " + delayNanos + " ns");
    }
    this.delayNanos = delayNanos;
  }

  @Override
  public void sync() {
    inner.sync();
    pause();
  }

  @Override
  public Runnable startSync() {
    Runnable work = inner.startSync();
    return () -> {
      work.run();
      pause();
    };
  }

  private void pause() {
    long end = System.nanoTime() + delayNanos;
    for (long left = delayNanos; left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
