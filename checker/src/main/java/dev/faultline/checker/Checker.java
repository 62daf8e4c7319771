package dev.faultline.checker;

import dev.faultline.checker.model.Model;
import dev.faultline.checker.model.Models;
import dev.faultline.checker.model.UnsupportedModelException;
import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks a history for linearizability against a model: splits it by key (each key is an
 * independent object, so the history is linearizable exactly when every key's is — Herlihy and
 * Wing's locality), searches the keys in parallel on a bounded pool, and combines the verdicts.
 * Once a key is invalid, the others stop early and say they were not decided.
 */
public final class Checker {
  private Checker() {}

  /**
   * Checks a history.
   *
   * @throws UnsupportedModelException when the history needs a model Faultline lacks
   * @throws IllegalArgumentException when an op's value does not fit the model
   */
  public static CheckResult check(History history, CheckOptions options) {
    long start = System.nanoTime();
    Model<?, ?> model;
    String why;
    if (options.model() == null) {
      Models.Choice choice = Models.choose(history);
      model = choice.model();
      why = "auto: " + choice.reason();
    } else {
      model = options.model();
      why = "given";
    }
    List<Call> calls = history.calls();
    Map<Object, List<Call>> byKey = new LinkedHashMap<>();
    for (Call c : calls) {
      byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
    }
    boolean split = options.split() || model.perKey();
    if (!options.split() && model.perKey() && byKey.size() > 1) {
      throw new UnsupportedModelException(
          "the "
              + model.name()
              + " model describes one object per key and the history has "
              + byKey.size()
              + " keys; check it split by key, or with --model kv");
    }
    List<Partition<?, ?>> parts = new ArrayList<>();
    if (split) {
      byKey.forEach((k, list) -> parts.add(partition(k, model, list)));
    } else {
      parts.add(partition(null, model, calls));
    }
    Budget budget =
        new Budget(
            options.timeout() == null ? 0 : options.timeout().toNanos(), options.memoLimitBytes());
    String timeoutText = options.timeout() == null ? "unlimited" : format(options.timeout());
    KeyResult[] results = new KeyResult[parts.size()];
    int threads = Math.max(1, Math.min(options.threads(), parts.size()));
    if (threads == 1) {
      for (int i = 0; i < parts.size(); i++) {
        results[i] = checkOne(parts.get(i), budget, timeoutText, options.explain());
      }
    } else {
      runParallel(parts, results, threads, budget, timeoutText, options.explain());
    }
    List<KeyResult> keys = List.of(results);
    Verdict verdict = Verdict.VALID;
    String reason = null;
    for (KeyResult k : keys) {
      if (k.verdict() == Verdict.INVALID) {
        verdict = Verdict.INVALID;
        reason = null;
        break;
      }
      if (k.verdict() == Verdict.UNKNOWN && verdict == Verdict.VALID) {
        verdict = Verdict.UNKNOWN;
        reason = k.reason();
      }
    }
    return new CheckResult(
        verdict, model.name(), why, split, calls.size(), System.nanoTime() - start, reason, keys);
  }

  private static <S, I> Partition<S, I> partition(Object key, Model<S, I> model, List<Call> calls) {
    return new Partition<>(key, model.forPartition(), calls);
  }

  private static void runParallel(
      List<Partition<?, ?>> parts,
      KeyResult[] results,
      int threads,
      Budget budget,
      String timeoutText,
      boolean explain) {
    Integer[] order = new Integer[parts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Largest first, so one big key does not start last and run alone.
    java.util.Arrays.sort(
        order, Comparator.comparingInt((Integer i) -> parts.get(i).inputs.length).reversed());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "faultline-checker");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>(order.length);
      for (int i : order) {
        futures.add(
            pool.submit(() -> results[i] = checkOne(parts.get(i), budget, timeoutText, explain)));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
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

  private static KeyResult checkOne(
      Partition<?, ?> part, Budget budget, String timeoutText, boolean explain) {
    if (budget.shouldStop()) {
      return Explanations.notDecided(part, budget.whyStopped(timeoutText));
    }
    long t0 = System.nanoTime();
    Linearizer.Outcome out;
    try {
      out = part.search(budget);
    } catch (OutOfMemoryError oom) {
      out =
          new Linearizer.Outcome(
              Verdict.UNKNOWN,
              new int[0],
              -1,
              List.of(),
              new int[0],
              0,
              0,
              "out of memory: raise -Xmx or lower the memo cap");
    }
    long nanos = System.nanoTime() - t0;
    if (out.verdict() == Verdict.INVALID) {
      budget.stop("stopped early: key " + Explanations.showKey(part.key) + " is invalid");
    }
    String reason =
        out.verdict() == Verdict.UNKNOWN
            ? (out.reason() != null ? out.reason() : budget.whyStopped(timeoutText))
            : null;
    return Explanations.keyResult(part, out, nanos, reason, explain);
  }

  static String format(java.time.Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }
}
