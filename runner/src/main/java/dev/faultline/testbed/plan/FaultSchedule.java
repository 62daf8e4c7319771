package dev.faultline.testbed.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plans when faults start and heal, as data: a quiet warm-up of one interval, then alternating
 * fault windows and quiet gaps, each between half and a whole interval long, kinds drawn from the
 * given list. Windows never overlap (each is healed before the next starts) and every window ends
 * within the time limit. The same seed gives the same plan.
 */
public final class FaultSchedule {
  private FaultSchedule() {}

  /** Jepsen's customary spacing of faults. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  /**
   * @param seed the source of every choice
   * @param timeLimit the length of the run; no window ends after it
   * @param interval the typical length of a fault and of the quiet gap after it
   * @param faults fault kinds to draw from; empty plans no faults
   */
  public static List<PlannedWindow> plan(
      long seed, Duration timeLimit, Duration interval, List<FaultKind> faults) {
    return plan(new SplittableRandom(seed), timeLimit, interval, faults);
  }

  /**
   * As {@link #plan(long, Duration, Duration, List)}, drawing from {@code random} (a stream split
   * for the schedule alone, so that no other part of the run draws the same sequence).
   */
  public static List<PlannedWindow> plan(
      SplittableRandom random, Duration timeLimit, Duration interval, List<FaultKind> faults) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("nemesis interval must be positive, was " + interval);
    }
    if (timeLimit.isNegative()) {
      throw new IllegalArgumentException("time limit must not be negative, was " + timeLimit);
    }
    if (faults.stream().anyMatch(java.util.Objects::isNull)) {
      throw new IllegalArgumentException("fault kinds must not be null, got " + faults);
    }
    List<PlannedWindow> plan = new ArrayList<>();
    if (faults.isEmpty()) {
      return plan;
    }
    long limit = timeLimit.toMillis();
    long step = Math.max(2, interval.toMillis());
    long t = step;
    while (true) {
      long duration = between(random, step);
      FaultKind fault = faults.get(random.nextInt(faults.size()));
      if (t + duration > limit) {
        return List.copyOf(plan);
      }
      plan.add(new PlannedWindow(Duration.ofMillis(t), fault, Duration.ofMillis(duration)));
      t += duration + between(random, step);
    }
  }

  /** A length drawn uniformly from [step/2, step]. */
  private static long between(SplittableRandom random, long step) {
    return step / 2 + random.nextLong(step - step / 2 + 1);
  }
}
