package dev.faultline.checker;

import dev.faultline.checker.model.Model;
import dev.faultline.histories.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a search outcome into a {@link KeyResult} a person can read: replays the linearization
 * through the model to describe every state, and explains each candidate at the point of failure.
 */
final class Explanations {
  private Explanations() {}

  private static final int MAX_STATE_CHARS = 400;

  static String showKey(Object key) {
    return key == null ? "(none)" : Values.show(key);
  }

  static KeyResult notDecided(Partition<?, ?> part, String why) {
    return new KeyResult(
        part.key,
        Verdict.UNKNOWN,
        false,
        part.calls,
        part.inputs.length,
        0,
        "not checked: " + why,
        null,
        List.of(),
        null,
        0,
        0);
  }

  static <S, I> KeyResult keyResult(
      Partition<S, I> part, Linearizer.Outcome out, long nanos, String reason, boolean explain) {
    Model<S, I> m = part.model;
    S init = m.initialState();
    List<Step> steps = new ArrayList<>();
    S state = init;
    boolean describe = explain || out.verdict() != Verdict.VALID;
    if (describe) {
      for (int local : out.order()) {
        I in = part.inputs[local];
        state = m.step(state, in);
        steps.add(
            new Step(
                part.invokePos[local],
                m.describeInput(in),
                state == null ? "?" : m.describeState(state, MAX_STATE_CHARS)));
      }
    }
    Counterexample cex = null;
    if (out.verdict() == Verdict.INVALID) {
      cex = counterexample(part, out, state);
    }
    if (out.verdict() == Verdict.UNKNOWN) {
      int ok = 0;
      for (int p : part.completePos) {
        if (p >= 0) {
          ok++;
        }
      }
      reason =
          reason
              + " (longest linearizable prefix found: "
              + out.order().length
              + " ops, of "
              + ok
              + " that must take effect; "
              + out.steps()
              + " steps, "
              + out.memoEntries()
              + " configurations memoised)";
    }
    return new KeyResult(
        part.key,
        out.verdict(),
        out.verdict() != Verdict.UNKNOWN,
        part.calls,
        part.inputs.length,
        nanos,
        reason,
        m.describeState(init, MAX_STATE_CHARS),
        List.copyOf(steps),
        cex,
        out.steps(),
        out.memoEntries());
  }

  @SuppressWarnings("unchecked")
  private static <S, I> Counterexample counterexample(
      Partition<S, I> part, Linearizer.Outcome out, S afterPrefix) {
    Model<S, I> m = part.model;
    int culprit = out.culprit();
    List<String> states = new ArrayList<>();
    for (Object s : out.states()) {
      states.add(m.describeState((S) s, MAX_STATE_CHARS));
    }
    S at = out.states().isEmpty() ? afterPrefix : (S) out.states().get(0);
    List<Candidate> candidates = new ArrayList<>();
    int from = part.invokePos[culprit];
    int to = part.completePos[culprit];
    for (int c : out.candidates()) {
      I in = part.inputs[c];
      S after = m.step(at, in);
      String why;
      if (after == null) {
        why = m.whyIllegal(at, in);
      } else {
        why =
            "possible here (state becomes "
                + m.describeState(after, MAX_STATE_CHARS)
                + "), but no order of the remaining ops fits after it";
      }
      candidates.add(new Candidate(part.invokePos[c], m.describeInput(in), why));
      if (part.completePos[c] >= 0) {
        from = Math.min(from, part.invokePos[c]);
      }
    }
    return new Counterexample(
        part.invokePos[culprit],
        part.completePos[culprit],
        m.describeInput(part.inputs[culprit]),
        List.copyOf(states),
        List.copyOf(candidates),
        from,
        to);
  }
}
