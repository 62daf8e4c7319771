package dev.faultline.testbed.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The run's event trace: a 64-bit hash of every event (time, kind, details) so two runs can be
 * compared by one number, the last events for a failure report, and optionally every line.
 */
final class Trace {
  private static final int KEEP = 64;
  private final Event[] ring = new Event[KEEP];
  private final long[] times = new long[KEEP];
  private long count;
  private long hash = 0x9E3779B97F4A7C15L;
  private final List<String> full;

  Trace(boolean recordAll) {
    this.full = recordAll ? new ArrayList<>() : null;
  }

  void record(Event e) {
    hash = mix(hash ^ e.time) * 31 + e.fingerprint();
    int slot = (int) (count % KEEP);
    ring[slot] = e;
    times[slot] = e.time;
    count++;
    if (full != null) {
      full.add(line(e.time, e));
    }
  }

  /** Folds an outcome that is not an event (e.g. a client's result) into the hash. */
  void note(long value) {
    hash = mix(hash ^ value);
  }

  long hash() {
    return mix(hash ^ count);
  }

  long events() {
    return count;
  }

  List<String> last(int n) {
    List<String> out = new ArrayList<>();
    long from = Math.max(0, count - Math.min(n, KEEP));
    for (long i = from; i < count; i++) {
      int slot = (int) (i % KEEP);
      out.add(line(times[slot], ring[slot]));
    }
    return out;
  }

  List<String> all() {
    return full == null ? List.of() : full;
  }

  static String line(long timeNanos, Event e) {
    return String.format("%10.3fms %s", timeNanos / 1e6, e.describe());
  }

  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
