package dev.faultline.testbed.report;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How available the cluster was, read from a history: the one definition that results.json (the
 * runner) and report.html both use. A client call counts where it was invoked: in every fault
 * window in force then ({@link FaultWindows}), or outside all of them. Of the calls that completed,
 * the <em>answered</em> ones are those the cluster served: {@code ok}, and {@code fail}s that are
 * compare-and-set mismatches (the cluster read the key and found another value, which is an answer,
 * not an outage). Availability is answered / completed. A call still pending when the history ends
 * (no completion: the run stopped first) is counted apart as {@code pending} and is in neither the
 * numerator nor the denominator, since nothing is known of how the cluster would have answered it.
 *
 * @param overall every call of the run
 * @param outside the calls invoked while no fault was in force
 * @param windows one entry per fault window, in order of start
 */
public record Availability(Counts overall, Counts outside, List<Window> windows) {

  /** The error of a compare-and-set that was served but found another value. */
  public static final String CAS_MISMATCH = "cas-mismatch";

  public Availability {
    windows = List.copyOf(windows);
  }

  /**
   * How a set of calls ended; {@code mismatch} counts the {@code fail}s that were compare-and-set
   * mismatches (they are also in {@code fail}).
   */
  public record Counts(long ok, long fail, long info, long mismatch, long pending) {
    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

    /** Calls that completed: ok, fail and info (pending ones are not counted). */
    public long ops() {
      return ok + fail + info;
    }

    /** Calls the cluster answered: ok, and compare-and-set mismatches. */
    public long answered() {
      return ok + mismatch;
    }

    /** answered / completed, or NaN when nothing completed. */
    public double availability() {
      return ops() == 0 ? Double.NaN : (double) answered() / ops();
    }

    /** {@link #availability} to 4 decimals as results.json and report.html give it, or null. */
    public Double rounded() {
      return ops() == 0 ? null : Math.round(availability() * 10_000) / 10_000.0;
    }

    Counts plus(Call call) {
      return switch (call.outcome()) {
        case OK -> new Counts(ok + 1, fail, info, mismatch, pending);
        case FAIL ->
            new Counts(
                ok,
                fail + 1,
                info,
                mismatch + (CAS_MISMATCH.equals(call.completion().error()) ? 1 : 0),
                pending);
        case INFO -> new Counts(ok, fail, info + 1, mismatch, pending);
        case PENDING -> new Counts(ok, fail, info, mismatch, pending + 1);
      };
    }

    Counts add(Counts o) {
      return new Counts(
          ok + o.ok, fail + o.fail, info + o.info, mismatch + o.mismatch, pending + o.pending);
    }

    public Map<String, Object> toMap() {
      var m = new LinkedHashMap<String, Object>();
      m.put("ops", ops());
      m.put("ok", ok);
      m.put("fail", fail);
      m.put("info", info);
      m.put("cas_mismatch", mismatch);
      m.put("pending", pending);
      m.put("answered", answered());
      m.put("availability", rounded());
      return m;
    }
  }

  /**
   * One fault window and the calls invoked in it.
   *
   * @param window where the fault started and ended ({@code healed} false: it ran to the end)
   * @param value the value of the event that started it (targets and parameters), or null
   * @param counts the calls invoked in it
   */
  public record Window(FaultWindow window, Object value, Counts counts) {
    /** Whether a call invoked at {@code time} counts here (to the very end for an open window). */
    boolean holds(long time) {
      return window.contains(time) || (!window.healed() && time >= window.start());
    }

    Window plus(Call call) {
      return new Window(window, value, counts.plus(call));
    }

    public Map<String, Object> toMap() {
      var m = new LinkedHashMap<String, Object>();
      m.put("fault", window.fault());
      m.put("target", window.target());
      m.put("start_s", window.start() / 1e9);
      m.put("end_s", window.healed() ? window.end() / 1e9 : null);
      m.put("healed", window.healed());
      m.put("value", value);
      m.putAll(counts.toMap());
      return m;
    }
  }

  /** The availability of a history, over the fault windows {@link FaultWindows} finds in it. */
  public static Availability of(History history) {
    List<FaultWindow> found = FaultWindows.of(history);
    var windows = new ArrayList<Window>(found.size());
    for (FaultWindow w : found) {
      windows.add(new Window(w, startValue(history, w), Counts.ZERO));
    }
    Counts overall = Counts.ZERO;
    Counts outside = Counts.ZERO;
    for (Call call : history.calls()) {
      overall = overall.plus(call);
      if (!call.invoke().hasTime()) {
        continue;
      }
      long time = call.invoke().time();
      boolean inAny = false;
      for (int i = 0; i < windows.size(); i++) {
        if (windows.get(i).holds(time)) {
          windows.set(i, windows.get(i).plus(call));
          inAny = true;
        }
      }
      if (!inAny) {
        outside = outside.plus(call);
      }
    }
    return new Availability(overall, outside, windows);
  }

  /** The counts of all windows of each fault kind, summed, in order of first appearance. */
  public Map<String, Counts> byFault() {
    var by = new LinkedHashMap<String, Counts>();
    for (Window w : windows) {
      by.merge(w.window().fault(), w.counts(), Counts::add);
    }
    return by;
  }

  /** The form results.json holds under {@code availability}. */
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

  /** The value of the nemesis event that opened {@code w}: the first start event at its start. */
  private static Object startValue(History history, FaultWindow w) {
    String name = w.fault().equals("nemesis") ? "start" : "start-" + w.fault();
    for (Op op : history.nemesisEvents()) {
      if (op.hasTime() && op.time() == w.start() && Objects.equals(op.f(), name)) {
        return op.value();
      }
    }
    return null;
  }
}
