package dev.faultline.histories;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A summary of a history for people: ops by function and type, the busiest processes and keys, the
 * most invocations open at once, and how many calls ended unknown.
 *
 * @param ops every op, nemesis events included
 * @param nemesisEvents ops by the nemesis
 * @param byFunction for each function (sorted by name), the number of ops of each type
 * @param processes distinct client processes
 * @param topProcesses the busiest processes by op count, at most {@link #TOP}
 * @param keys distinct keys (0 for a single-register history)
 * @param topKeys the busiest keys by op count, at most {@link #TOP}
 * @param maxConcurrency the most client invocations open at the same point of the history
 * @param pending invocations that never completed
 * @param info calls completed with {@code info} (outcome unknown)
 * @param firstTime the earliest op time, or {@link Op#NO_TIME} when no op has one
 * @param lastTime the latest op time, or {@link Op#NO_TIME}
 */
public record HistoryStats(
    int ops,
    int nemesisEvents,
    Map<String, Map<OpType, Long>> byFunction,
    int processes,
    List<Count> topProcesses,
    int keys,
    List<Count> topKeys,
    int maxConcurrency,
    int pending,
    int info,
    long firstTime,
    long lastTime) {

  /** How many processes and keys are listed by name. */
  public static final int TOP = 20;

  /** A name (process id or key, as shown) and its op count. */
  public record Count(String name, long ops) {}

  /** The time span in nanoseconds, or {@link Op#NO_TIME} when the history has no times. */
  public long span() {
    return firstTime == Op.NO_TIME ? Op.NO_TIME : lastTime - firstTime;
  }

  public static HistoryStats of(History h) {
    Map<String, Map<OpType, Long>> byFunction = new TreeMap<>();
    Map<Long, Long> perProcess = new HashMap<>();
    Map<Object, Long> perKey = new LinkedHashMap<>();
    int nemesis = 0;
    int open = 0;
    int maxOpen = 0;
    int info = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Op op : h.ops()) {
      if (op.hasTime()) {
        first = Math.min(first, op.time());
        last = Math.max(last, op.time());
      }
      byFunction
          .computeIfAbsent(op.f(), f -> new EnumMap<>(OpType.class))
          .merge(op.type(), 1L, Long::sum);
      if (op.isNemesis()) {
        nemesis++;
        continue;
      }
      perProcess.merge(op.process(), 1L, Long::sum);
      if (op.key() != null) {
        perKey.merge(op.key(), 1L, Long::sum);
      }
      if (op.isInvoke()) {
        open++;
        maxOpen = Math.max(maxOpen, open);
      } else {
        open--;
        if (op.type() == OpType.INFO) {
          info++;
        }
      }
    }
    Map<String, Map<OpType, Long>> frozen = new LinkedHashMap<>();
    byFunction.forEach((f, m) -> frozen.put(f, Map.copyOf(m)));
    return new HistoryStats(
        h.size(),
        nemesis,
        java.util.Collections.unmodifiableMap(frozen),
        perProcess.size(),
        top(perProcess),
        perKey.size(),
        top(perKey),
        maxOpen,
        h.pending().size(),
        info,
        first == Long.MAX_VALUE ? Op.NO_TIME : first,
        last == Long.MIN_VALUE ? Op.NO_TIME : last);
  }

  private static <K> List<Count> top(Map<K, Long> counts) {
    List<Map.Entry<K, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(
        Comparator.comparing((Map.Entry<K, Long> e) -> e.getValue())
            .reversed()
            .thenComparing(e -> Values.show(e.getKey())));
    List<Count> out = new ArrayList<>();
    for (int i = 0; i < Math.min(TOP, entries.size()); i++) {
      Map.Entry<K, Long> e = entries.get(i);
      Object k = e.getKey();
      out.add(new Count(k instanceof String s ? s : Values.show(k), e.getValue()));
    }
    return List.copyOf(out);
  }
}
