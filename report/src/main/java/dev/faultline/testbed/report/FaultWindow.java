package dev.faultline.testbed.report;

/**
 * One stretch of the run during which a fault was active, as the nemesis's events in the history
 * bound it: from the first {@code start-FAULT} event to the last {@code stop-FAULT} event that
 * ended it. A fault never stopped ends at the last op of the history and is marked {@code !healed}.
 *
 * @param fault the fault's name, e.g. {@code partition} (from {@code start-partition})
 * @param target what it hit, in words (the event's {@code targets}, or its value shown)
 * @param start nanoseconds since the run began when the fault started
 * @param end nanoseconds since the run began when it was healed (or the history ended)
 * @param healed whether a stop event ended it
 */
public record FaultWindow(String fault, String target, long start, long end, boolean healed) {

  /** Whether an instant (nanoseconds since the run began) falls inside the window. */
  public boolean contains(long time) {
    return time >= start && time < end;
  }

  /** A short label for charts and tables, e.g. {@code partition n1 n2}. */
  public String label() {
    return target.isEmpty() ? fault : fault + " " + target;
  }
}
