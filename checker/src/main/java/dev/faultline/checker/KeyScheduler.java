package dev.faultline.checker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Shares the check's threads and time fairly between the keys' searches: each key is searched in
 * slices of steps, round robin, and a key's slice doubles each time it comes round again (up to a
 * cap), in the manner of iterative deepening. Easy keys are therefore decided in the first rounds
 * whatever order the keys come in; an invalid key is found as soon as its own search gets there,
 * not after a hard key before it has used up the budget; and a key that cannot be decided in time
 * ends unknown on its own while the others are decided.
 */
final class KeyScheduler {
  /** Steps of a key's first slice: well under a millisecond. */
  static final long FIRST_SLICE = 1 << 12;

  /** Steps of a key's longest slice: tens of milliseconds, so that every key comes round often. */
  static final long MAX_SLICE = 1 << 19;

  private final List<Partition<?, ?>> parts;
  private final Budget budget;
  private final String timeoutText;
  private final boolean explain;
  private final boolean stopAtFirstInvalid;
  private final KeyResult[] results;
  private final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();

  private static final class Task {
    final int index;
    final Partition<?, ?> part;
    Linearizer<?, ?> search;
    long slice = FIRST_SLICE;
    long nanos;

    Task(int index, Partition<?, ?> part) {
      this.index = index;
      this.part = part;
    }
  }

  KeyScheduler(
      List<Partition<?, ?>> parts,
      Budget budget,
      String timeoutText,
      boolean explain,
      boolean stopAtFirstInvalid) {
    this.parts = parts;
    this.budget = budget;
    this.timeoutText = timeoutText;
    this.explain = explain;
    this.stopAtFirstInvalid = stopAtFirstInvalid;
    this.results = new KeyResult[parts.size()];
  }

  /** Decides every key (or says why not), on the calling thread when {@code threads} is 1. */
  KeyResult[] run(int threads) {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      tasks.add(new Task(i, parts.get(i)));
    }
    // Small keys first: they are likely decided in their first slice.
    tasks.sort(Comparator.comparingInt((Task t) -> t.part.inputs.length));
    queue.addAll(tasks);
    if (threads <= 1) {
      work();
    } else {
      runParallel(threads);
    }
    return results;
  }

  private void runParallel(int threads) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "faultline-checker");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>(threads);
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(this::work));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          budget.stop("interrupted");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Takes keys from the queue until it is empty. A worker that puts a key back takes from the queue
   * again, so a key is never left behind when the other workers have gone.
   */
  private void work() {
    Task t;
    while ((t = queue.poll()) != null) {
      if (!slice(t)) {
        queue.add(t);
      }
    }
  }

  /** Runs one slice of a key's search; true when the key is done. */
  private boolean slice(Task t) {
    if (budget.shouldStop()) {
      results[t.index] = stopped(t);
      return true;
    }
    if (t.search == null) {
      t.search = t.part.searcher(budget);
    }
    long t0 = System.nanoTime();
    Linearizer.Outcome out;
    try {
      out = t.search.advance(t.slice);
    } catch (OutOfMemoryError oom) {
      t.search.abandon();
      out =
          new Linearizer.Outcome(
              Verdict.UNKNOWN,
              new int[0],
              -1,
              List.of(),
              new int[0],
              t.search.steps(),
              0,
              "out of memory: raise -Xmx or lower the memo cap");
    }
    t.nanos += System.nanoTime() - t0;
    if (out == null) {
      t.slice = Math.min(MAX_SLICE, t.slice * 2);
      return false;
    }
    if (out.verdict() == Verdict.INVALID && stopAtFirstInvalid) {
      budget.stop("stopped early: key " + Explanations.showKey(t.part.key) + " is invalid");
    }
    String reason =
        out.verdict() == Verdict.UNKNOWN
            ? (out.reason() != null ? out.reason() : budget.whyStopped(timeoutText))
            : null;
    results[t.index] = Explanations.keyResult(t.part, out, t.nanos, reason, explain);
    return true;
  }

  /** The result of a key whose search the budget stopped before it was decided. */
  private KeyResult stopped(Task t) {
    String why = budget.whyStopped(timeoutText);
    if (t.search == null || budget.stopped()) {
      if (t.search != null) {
        t.search.abandon();
      }
      return Explanations.notDecided(t.part, why);
    }
    // Out of time part-way: report how far this key's search got.
    t.search.abandon();
    Linearizer.Outcome out = t.search.advance(0);
    return Explanations.keyResult(t.part, out, t.nanos, why, explain);
  }
}
