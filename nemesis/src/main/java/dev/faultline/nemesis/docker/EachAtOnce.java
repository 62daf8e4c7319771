package dev.faultline.nemesis.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** How a Docker cluster starts and stops its nodes: each on its own thread, all at once. */
final class EachAtOnce {
  private EachAtOnce() {}

  /**
   * Runs {@code action} on every item, each on its own thread, and returns when all have ended; the
   * first failure is thrown with the others attached as suppressed.
   */
  static <T> void run(List<T> items, Consumer<T> action) {
    if (items.size() <= 1) {
      items.forEach(action);
      return;
    }
    var pool =
        Executors.newFixedThreadPool(
            items.size(),
            r -> {
              Thread t = new Thread(r, "docker-cluster-node");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (T item : items) {
        running.add(pool.submit(() -> action.accept(item)));
      }
      RuntimeException failure = null;
      for (var f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          RuntimeException cause =
              e.getCause() instanceof RuntimeException r
                  ? r
                  : new IllegalStateException(e.getCause().getMessage(), e.getCause());
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + items, e);
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
