package dev.faultline.testbed.report;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The time series a report draws, computed from a history alone: every call's latency, latency
 * quantiles per time window, and completions per second by outcome. Pure functions: the same
 * history gives the same series.
 */
public final class Series {
  private Series() {}

  /**
   * One completed call: when it was invoked and how long it took.
   *
   * @param time invocation, nanoseconds since the run began
   * @param latency completion time minus invocation time, in nanoseconds
   * @param outcome OK, FAIL or INFO (pending calls have no latency and are left out)
   * @param f the function
   */
  public record Sample(long time, long latency, Call.Outcome outcome, String f) {}

  /**
   * Latency quantiles of the calls invoked in {@code [start, start + width)}; nearest-rank
   * quantiles, so each is the latency of an actual call. All latencies are 0 when {@code count} is
   * 0.
   */
  public record Quantiles(long start, int count, long p50, long p95, long p99, long max) {}

  /** Completions in {@code [start, start + width)} by outcome. */
  public record Throughput(long start, int ok, int fail, int info) {
    public int total() {
      return ok + fail + info;
    }
  }

  /** Every completed call with a time, in invocation order. */
  public static List<Sample> samples(History history) {
    List<Sample> out = new ArrayList<>();
    for (Call c : history.calls()) {
      Op done = c.completion();
      if (done == null || !c.invoke().hasTime() || !done.hasTime()) {
        continue;
      }
      out.add(
          new Sample(
              c.invoke().time(), Math.max(0, done.time() - c.invoke().time()), c.outcome(), c.f()));
    }
    return List.copyOf(out);
  }

  /** The time of the last op with a time, or 0 when none has one. */
  public static long span(History history) {
    long last = 0;
    for (Op op : history.ops()) {
      if (op.hasTime()) {
        last = Math.max(last, op.time());
      }
    }
    return last;
  }

  /**
   * A window width that cuts {@code span} into about 100 windows, rounded to 1, 2 or 5 times a
   * power of ten milliseconds (at least 1 ms), so the axis reads well.
   */
  public static long windowFor(long span) {
    long target = Math.max(1_000_000L, span / 100);
    long unit = 1_000_000L;
    while (true) {
      for (long m : new long[] {1, 2, 5}) {
        if (unit * m >= target) {
          return unit * m;
        }
      }
      unit *= 10;
    }
  }

  /** Latency quantiles of completed calls per window of {@code width} ns, by invocation time. */
  public static List<Quantiles> quantiles(History history, long width) {
    requirePositive(width);
    List<Sample> samples = samples(history);
    int windows = windows(span(history), width);
    long[][] latencies = new long[windows][];
    int[] counts = new int[windows];
    for (Sample s : samples) {
      counts[(int) (s.time() / width)]++;
    }
    for (int i = 0; i < windows; i++) {
      latencies[i] = new long[counts[i]];
      counts[i] = 0;
    }
    for (Sample s : samples) {
      int w = (int) (s.time() / width);
      latencies[w][counts[w]++] = s.latency();
    }
    List<Quantiles> out = new ArrayList<>(windows);
    for (int i = 0; i < windows; i++) {
      long[] l = latencies[i];
      Arrays.sort(l);
      out.add(
          l.length == 0
              ? new Quantiles(i * width, 0, 0, 0, 0, 0)
              : new Quantiles(
                  i * width,
                  l.length,
                  rank(l, 0.50),
                  rank(l, 0.95),
                  rank(l, 0.99),
                  l[l.length - 1]));
    }
    return List.copyOf(out);
  }

  /** Completions per window of {@code width} ns by outcome, by completion time. */
  public static List<Throughput> throughput(History history, long width) {
    requirePositive(width);
    int windows = windows(span(history), width);
    int[][] counts = new int[windows][3];
    for (Call c : history.calls()) {
      Op done = c.completion();
      if (done == null || !done.hasTime()) {
        continue;
      }
      int w = (int) (done.time() / width);
      switch (c.outcome()) {
        case OK -> counts[w][0]++;
        case FAIL -> counts[w][1]++;
        case INFO -> counts[w][2]++;
        case PENDING -> {}
      }
    }
    List<Throughput> out = new ArrayList<>(windows);
    for (int i = 0; i < windows; i++) {
      out.add(new Throughput(i * width, counts[i][0], counts[i][1], counts[i][2]));
    }
    return List.copyOf(out);
  }

  /** The nearest-rank quantile of sorted values: the smallest value with q of them at or below. */
  static long rank(long[] sorted, double q) {
    int r = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, r - 1))];
  }

  private static int windows(long span, long width) {
    return (int) (span / width) + 1;
  }

  private static void requirePositive(long width) {
    if (width <= 0) {
      throw new IllegalArgumentException("window width must be positive, was " + width + " ns");
    }
  }
}
