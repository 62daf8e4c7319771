package dev.faultline.workloads.run;

/**
 * A snapshot of a worker pool's counters, for a progress line and the run's summary.
 *
 * @param elapsedNanos time since the pool started
 * @param invoked ops invoked, final reads included
 * @param ok ops completed ok
 * @param fail ops completed fail
 * @param info ops completed info
 */
public record Progress(long elapsedNanos, long invoked, long ok, long fail, long info) {

  /** Ops in flight: invoked but not completed. */
  public long inFlight() {
    return invoked - ok - fail - info;
  }

  /** Completed ops per second since the start. */
  public double opsPerSecond() {
    return elapsedNanos <= 0 ? 0 : (ok + fail + info) * 1e9 / elapsedNanos;
  }

  /** E.g. {@code 12.0 s 850 ops/s ok 9800 fail 120 info 3}. */
  public String line() {
    return String.format(
        "%.1f s  %.0f ops/s  ok %d  fail %d  info %d",
        elapsedNanos / 1e9, opsPerSecond(), ok, fail, info);
  }
}
