package dev.faultline.testbed.plan;

import java.time.Duration;

/**
 * One planned fault window: start a fault of {@code kind} at {@code start} after the run began,
 * heal it {@code duration} later. What a run actually did is observed from its history instead
 * ({@code report.FaultWindow}).
 */
public record PlannedWindow(Duration start, FaultKind kind, Duration duration) {

  public PlannedWindow {
    if (start.isNegative() || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(
          "a planned window starts at or after 0 and lasts a while, was "
              + start
              + " for "
              + duration);
    }
  }

  public Duration end() {
    return start.plus(duration);
  }
}
