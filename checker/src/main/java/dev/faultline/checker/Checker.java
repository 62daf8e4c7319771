package dev.faultline.checker;

import dev.faultline.checker.model.Model;
import dev.faultline.checker.model.Models;
import dev.faultline.checker.model.UnsupportedModelException;
import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a history for linearizability against a model: splits it by key (each key is an
 * independent object, so the history is linearizable exactly when every key's is — Herlihy and
 * Wing's locality), searches the keys on a bounded pool in fair slices ({@link KeyScheduler}), and
 * combines the verdicts. Once a key is invalid, the others stop early and say they were not
 * decided, unless every key is to be decided.
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
    int threads = Math.max(1, Math.min(options.threads(), parts.size()));
    KeyResult[] results =
        new KeyScheduler(
                parts, budget, timeoutText, options.explain(), options.stopAtFirstInvalid())
            .run(threads);
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

  static String format(java.time.Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }
}
