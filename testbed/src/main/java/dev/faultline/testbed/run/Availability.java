package dev.faultline.testbed.run;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How available the cluster was, read from a history: the share of client ops that completed {@code
 * ok}, during each fault window and outside every window. A window runs from a nemesis event {@code
 * start-X} to the next {@code stop-X} (to the end of the history when none came); an op belongs to
 * the windows in force when it was invoked. Ops still pending are not counted.
 */
public record Availability(Counts overall, Counts outside, List<Window> windows) {

  /** The error of a compare-and-set that was served but found another value. */
  public static final String CAS_MISMATCH = "cas-mismatch";

  /**
   * Completed ops and how they ended; {@code mismatch} counts the {@code fail}s that were
   * compare-and-set mismatches.
   */
  public record Counts(long ok, long fail, long info, long mismatch) {
    public static final Counts ZERO = new Counts(0, 0, 0, 0);

    public Counts(long ok, long fail, long info) {
      this(ok, fail, info, 0);
    }

    public long ops() {
      return ok + fail + info;
    }

    /** Ops the cluster answered: ok, and compare-and-set mismatches. */
    public long answered() {
      return ok + mismatch;
    }

    /** answered / completed, or NaN when nothing completed. */
    public double availability() {
      return ops() == 0 ? Double.NaN : (double) answered() / ops();
    }

    Counts plus(Call call) {
      return switch (call.outcome()) {
        case OK -> new Counts(ok + 1, fail, info, mismatch);
        case FAIL ->
            new Counts(
                ok,
                fail + 1,
                info,
                mismatch + (CAS_MISMATCH.equals(call.completion().error()) ? 1 : 0));
        case INFO -> new Counts(ok, fail, info + 1, mismatch);
        case PENDING -> this;
      };
    }

    Counts add(Counts o) {
      return new Counts(ok + o.ok, fail + o.fail, info + o.info, mismatch + o.mismatch);
    }

    public Map<String, Object> toMap() {
      var m = new LinkedHashMap<String, Object>();
      m.put("ops", ops());
      m.put("ok", ok);
      m.put("fail", fail);
      m.put("info", info);
      m.put("cas_mismatch", mismatch);
      m.put("availability", ops() == 0 ? null : Math.round(availability() * 10_000) / 10_000.0);
      return m;
    }
  }

  /**
   * One fault window: its kind ({@code partition}), start and end (nanoseconds since the run began;
   * end {@code -1} when the history ends first), the start event's value and the ops in it.
   */
  public record Window(String fault, long startNanos, long endNanos, Object value, Counts counts) {
    boolean contains(long time) {
      return time >= startNanos && (endNanos < 0 || time < endNanos);
    }

    Window plus(Call call) {
      return new Window(fault, startNanos, endNanos, value, counts.plus(call));
    }

    public Map<String, Object> toMap() {
      var m = new LinkedHashMap<String, Object>();
      m.put("fault", fault);
      m.put("start_s", startNanos / 1e9);
      m.put("end_s", endNanos < 0 ? null : endNanos / 1e9);
      m.put("value", value);
      m.putAll(counts.toMap());
      return m;
    }
  }

  public static Availability of(History history) {
    List<Window> windows = windows(history);
    Counts overall = Counts.ZERO;
    Counts outside = Counts.ZERO;
    for (Call call : history.calls()) {
      if (call.outcome() == Call.Outcome.PENDING) {
        continue;
      }
      overall = overall.plus(call);
      long time = call.invoke().time();
      boolean inAny = false;
      for (int i = 0; i < windows.size(); i++) {
        if (windows.get(i).contains(time)) {
          windows.set(i, windows.get(i).plus(call));
          inAny = true;
        }
      }
      if (!inAny) {
        outside = outside.plus(call);
      }
    }
    return new Availability(overall, outside, List.copyOf(windows));
  }

  /** The counts of all windows of each fault kind, summed, in order of first appearance. */
  public Map<String, Counts> byFault() {
    var by = new LinkedHashMap<String, Counts>();
    for (Window w : windows) {
      by.merge(w.fault(), w.counts(), Counts::add);
    }
    return by;
  }

  public Map<String, Object> toMap() {
    var m = new LinkedHashMap<String, Object>();
    m.put("overall", overall.toMap());
    m.put("outside_faults", outside.toMap());
    var by = new LinkedHashMap<String, Object>();
    byFault().forEach((f, c) -> by.put(f, c.toMap()));
    m.put("by_fault", by);
    m.put("windows", windows.stream().map(Window::toMap).toList());
    return m;
  }

  private static List<Window> windows(History history) {
    var windows = new ArrayList<Window>();
    Map<String, Deque<Integer>> open = new HashMap<>();
    for (Op op : history.nemesisEvents()) {
      String f = op.f();
      if (f == null) {
        continue;
      }
      if (f.startsWith("start-")) {
        String kind = f.substring("start-".length());
        open.computeIfAbsent(kind, k -> new ArrayDeque<>()).addLast(windows.size());
        windows.add(new Window(kind, op.time(), -1, op.value(), Counts.ZERO));
      } else if (f.startsWith("stop-")) {
        Deque<Integer> starts = open.get(f.substring("stop-".length()));
        if (starts != null && !starts.isEmpty()) {
          int i = starts.removeFirst();
          Window w = windows.get(i);
          windows.set(i, new Window(w.fault(), w.startNanos(), op.time(), w.value(), w.counts()));
        }
      }
    }
    return windows;
  }
}
