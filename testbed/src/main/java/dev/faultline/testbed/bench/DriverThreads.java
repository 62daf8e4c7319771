package dev.faultline.testbed.bench;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** What the HTTP and gRPC load drivers share: their retry thread, and waiting out their slots. */
final class DriverThreads {

  private DriverThreads() {}

  /**
   * One daemon thread that reissues failed requests after a pause: a server that refuses at once
   * must be neither recursed on from a network thread nor hammered in a tight loop.
   */
  static ScheduledExecutorService retries(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /** Waits until no slot is {@code active}, at most {@code bound}. */
  static void awaitIdle(AtomicInteger active, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (active.get() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
  }
}
