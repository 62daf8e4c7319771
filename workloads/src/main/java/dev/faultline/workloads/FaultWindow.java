package dev.faultline.workloads;

import java.time.Duration;

/**
 * One planned fault: start it at {@code start} after the run began, heal it {@code duration} later.
 * The fault kind is a name the runner maps to a nemesis action (e.g. {@code partition}).
 */
public record FaultWindow(Duration start, String fault, Duration duration) {

  public Duration end() {
    return start.plus(duration);
  }
}
