package dev.faultline.testbed.report;

import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the fault windows of a history from its nemesis events. {@code start-X} opens a window of
 * fault {@code X} and {@code stop-X} closes it; a repeated event of the same name (an invocation
 * and its completion, as Jepsen records them) widens the window rather than opening another, so a
 * window spans from the first start event to the last stop event. Bare {@code start} / {@code stop}
 * (Jepsen's generic nemesis) are the fault {@code nemesis}; {@code heal} and bare {@code stop}
 * close every open window. Events without times are ignored.
 */
public final class FaultWindows {
  private FaultWindows() {}

  private static final int MAX_TARGET_CHARS = 60;

  /** The windows in order of their start. */
  public static List<FaultWindow> of(History history) {
    List<Op> ops = history.ops();
    long lastTime = 0;
    for (Op op : ops) {
      if (op.hasTime()) {
        lastTime = Math.max(lastTime, op.time());
      }
    }
    List<Open> done = new ArrayList<>();
    Map<String, Open> open = new LinkedHashMap<>();
    // The window each fault closed last, so a second stop event (the completion of the stop)
    // widens it instead of being read as a stray.
    Map<String, Open> lastClosed = new LinkedHashMap<>();
    for (Op op : ops) {
      if (!op.isNemesis() || !op.hasTime()) {
        continue;
      }
      String f = op.f();
      if (f.equals("start") || f.startsWith("start-")) {
        String fault = f.equals("start") ? "nemesis" : f.substring("start-".length());
        if (!open.containsKey(fault)) {
          Open w = new Open(fault, target(op.value()), op.time());
          open.put(fault, w);
          done.add(w);
          lastClosed.remove(fault);
        } else if (open.get(fault).target.isEmpty()) {
          open.get(fault).target = target(op.value());
        }
      } else if (f.startsWith("stop-")) {
        close(f.substring("stop-".length()), op.time(), open, lastClosed);
      } else if (f.equals("stop") || f.equals("heal")) {
        if (open.isEmpty()) {
          lastClosed.values().forEach(w -> w.end = Math.max(w.end, op.time()));
        }
        for (String fault : List.copyOf(open.keySet())) {
          close(fault, op.time(), open, lastClosed);
        }
      }
    }
    for (Open w : open.values()) {
      w.end = Math.max(w.start, lastTime);
    }
    List<FaultWindow> out = new ArrayList<>(done.size());
    for (Open w : done) {
      out.add(new FaultWindow(w.fault, w.target, w.start, w.end, w.healed));
    }
    return List.copyOf(out);
  }

  private static void close(
      String fault, long time, Map<String, Open> open, Map<String, Open> lastClosed) {
    Open w = open.remove(fault);
    if (w != null) {
      w.end = time;
      w.healed = true;
      lastClosed.put(fault, w);
    } else if (lastClosed.containsKey(fault)) {
      Open prev = lastClosed.get(fault);
      prev.end = Math.max(prev.end, time);
    }
  }

  /**
   * The targets of a fault in words: a {@code targets} list (with the partition's {@code shape} or
   * the kill's {@code target} rule in brackets, as the nemesis records them), a node name, or the
   * value shown.
   */
  static String target(Object value) {
    if (value == null) {
      return "";
    }
    Object t = value instanceof Map<?, ?> m && m.containsKey("targets") ? m.get("targets") : value;
    String s;
    if (t instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
      s = String.join(" ", list.stream().map(String.class::cast).toList());
    } else if (t instanceof String str) {
      s = str;
    } else {
      s = Values.show(t);
    }
    if (t != value && value instanceof Map<?, ?> m) {
      Object how = m.get("shape") instanceof String shape ? shape : m.get("target");
      if (how instanceof String h && !h.isEmpty()) {
        s = s + " (" + h + ")";
      }
    }
    return s.length() <= MAX_TARGET_CHARS ? s : s.substring(0, MAX_TARGET_CHARS) + "…";
  }

  /** A window while it is being read. */
  private static final class Open {
    final String fault;
    String target;
    final long start;
    long end;
    boolean healed;

    Open(String fault, String target, long start) {
      this.fault = fault;
      this.target = target;
      this.start = start;
      this.end = start;
    }
  }
}
