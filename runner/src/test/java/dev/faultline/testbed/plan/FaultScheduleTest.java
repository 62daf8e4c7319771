package dev.faultline.testbed.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
  private static final List<FaultKind> FAULTS =
      List.of(FaultKind.PARTITION, FaultKind.KILL, FaultKind.PAUSE);

  @Property(tries = 200)
  void windowsNeverOverlapAndFitTheTimeLimit(
      @ForAll long seed,
      @ForAll @IntRange(max = 600) int limitSeconds,
      @ForAll @IntRange(min = 100, max = 30_000) int intervalMillis) {
    Duration limit = Duration.ofSeconds(limitSeconds);
    List<PlannedWindow> plan =
        FaultSchedule.plan(seed, limit, Duration.ofMillis(intervalMillis), FAULTS);
    for (int i = 0; i < plan.size(); i++) {
      PlannedWindow w = plan.get(i);
      assertThat(w.duration()).isPositive();
      assertThat(w.end()).isLessThanOrEqualTo(limit);
      assertThat(FAULTS).contains(w.kind());
      if (i > 0) {
        assertThat(w.start()).isGreaterThan(plan.get(i - 1).end());
      }
    }
  }

  @Property(tries = 50)
  void sameSeedGivesSamePlan(@ForAll long seed) {
    Duration limit = Duration.ofSeconds(120);
    Duration interval = Duration.ofSeconds(10);
    assertThat(FaultSchedule.plan(seed, limit, interval, FAULTS))
        .isEqualTo(FaultSchedule.plan(seed, limit, interval, FAULTS));
  }

  @Test
  void sixtySecondsAtTenSecondIntervalsHoldsSeveralFaults() {
    List<PlannedWindow> plan =
        FaultSchedule.plan(42, Duration.ofSeconds(60), FaultSchedule.DEFAULT_INTERVAL, FAULTS);
    // Warm-up of 10 s, then windows and gaps of 5..10 s each: at least two, at most five windows.
    assertThat(plan).hasSizeBetween(2, 5);
    assertThat(plan.get(0).start()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void noFaultKindsPlanNothing() {
    assertThat(FaultSchedule.plan(1, Duration.ofSeconds(60), Duration.ofSeconds(1), List.of()))
        .isEmpty();
  }

  @Test
  void nonPositiveIntervalIsRefused() {
    assertThatThrownBy(() -> FaultSchedule.plan(1, Duration.ofSeconds(60), Duration.ZERO, FAULTS))
        .hasMessageContaining("nemesis interval must be positive");
  }
}
