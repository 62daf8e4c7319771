package dev.faultline.workloads;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The set workload's verdict over a history of {@code add} and {@code read} ops. The final read of
 * a key is its last successful read; an acknowledged add counts as lost only when that read began
 * after the add was acknowledged, otherwise it is unchecked. A {@code fail}ed add that shows up in
 * a read is unexpected, like an element nobody added: a definite failure must not take effect.
 *
 * @param attempted adds invoked
 * @param acknowledged adds that completed {@code ok}
 * @param indeterminate adds that completed {@code info} or never completed
 * @param lost acknowledged adds missing from the final read of their key
 * @param unexpected elements read that no add could have put there
 * @param duplicated elements that occur more than once in one read
 * @param recovered indeterminate adds present in the final read
 * @param unchecked acknowledged adds whose key had no final read begun after the acknowledgement
 * @param firstSeenNanos for each add seen by some read: nanoseconds from the add's invocation to
 *     the completion of the first read that contained it (only when both ops have times)
 */
public record SetAnalysis(
    long attempted,
    long acknowledged,
    long indeterminate,
    List<Object> lost,
    List<Object> unexpected,
    List<Object> duplicated,
    List<Object> recovered,
    List<Object> unchecked,
    Map<Object, Long> firstSeenNanos)
    implements WorkloadAnalysis {

  /** Sorts integers numerically before anything else, which sorts by its text. */
  private static final Comparator<Object> ELEMENT_ORDER =
      Comparator.comparing((Object o) -> o instanceof Long ? 0 : 1)
          .thenComparing(
              (a, b) ->
                  a instanceof Long x && b instanceof Long y
                      ? Long.compare(x, y)
                      : String.valueOf(a).compareTo(String.valueOf(b)));

  private record Add(Object key, Call call) {}

  private record Read(Object key, Op invoke, Op completion, List<?> elements) {}

  @Override
  public boolean valid() {
    return lost.isEmpty() && unexpected.isEmpty() && duplicated.isEmpty();
  }

  /** Analyses the {@code add} and {@code read} calls of a history; other ops are ignored. */
  public static SetAnalysis of(History history) {
    Map<Object, Add> adds = new LinkedHashMap<>();
    List<Read> reads = new ArrayList<>();
    long attempted = 0;
    long acknowledged = 0;
    long indeterminate = 0;
    for (Call call : history.calls()) {
      if (call.f().equals("add")) {
        attempted++;
        switch (call.outcome()) {
          case OK -> acknowledged++;
          case INFO, PENDING -> indeterminate++;
          case FAIL -> {}
        }
        Object element = call.invoke().value();
        Add prior = adds.get(element);
        if (prior == null || rank(call) > rank(prior.call())) {
          adds.put(element, new Add(call.key(), call));
        }
      } else if (call.f().equals("read")
          && call.outcome() == Call.Outcome.OK
          && call.completion().value() instanceof List<?> elements) {
        reads.add(new Read(call.key(), call.invoke(), call.completion(), elements));
      }
    }

    Map<Object, Read> finalRead = new HashMap<>();
    for (Read r : reads) {
      Read prior = finalRead.get(r.key());
      if (prior == null || r.invoke().index() > prior.invoke().index()) {
        finalRead.put(r.key(), r);
      }
    }

    Set<Object> unexpected = new HashSet<>();
    Set<Object> duplicated = new HashSet<>();
    Map<Object, Long> firstSeen = new TreeMap<>(ELEMENT_ORDER);
    reads.sort(Comparator.comparingInt(r -> r.completion().index()));
    for (Read r : reads) {
      Set<Object> inThisRead = new HashSet<>();
      for (Object element : r.elements()) {
        if (!inThisRead.add(element)) {
          duplicated.add(element);
        }
        Add add = adds.get(element);
        if (add == null || add.call().outcome() == Call.Outcome.FAIL) {
          unexpected.add(element);
        } else if (!firstSeen.containsKey(element)
            && add.call().invoke().hasTime()
            && r.completion().hasTime()) {
          firstSeen.put(element, r.completion().time() - add.call().invoke().time());
        }
      }
    }

    List<Object> lost = new ArrayList<>();
    List<Object> recovered = new ArrayList<>();
    List<Object> unchecked = new ArrayList<>();
    Map<Object, Set<Object>> finalElements = new HashMap<>();
    finalRead.forEach((key, r) -> finalElements.put(key, new HashSet<>(r.elements())));
    for (Map.Entry<Object, Add> e : adds.entrySet()) {
      Object element = e.getKey();
      Add add = e.getValue();
      Read last = finalRead.get(add.key());
      boolean present = last != null && finalElements.get(add.key()).contains(element);
      switch (add.call().outcome()) {
        case OK -> {
          if (present) {
            continue;
          }
          if (last != null && last.invoke().index() > add.call().completion().index()) {
            lost.add(element);
          } else {
            unchecked.add(element);
          }
        }
        case INFO, PENDING -> {
          if (present) {
            recovered.add(element);
          }
        }
        case FAIL -> {}
      }
    }
    return new SetAnalysis(
        attempted,
        acknowledged,
        indeterminate,
        sorted(lost),
        sorted(unexpected),
        sorted(duplicated),
        sorted(recovered),
        sorted(unchecked),
        Collections.unmodifiableMap(firstSeen));
  }

  /** When one element was added twice, the most telling call stands for it: ok, then unknown. */
  private static int rank(Call call) {
    return switch (call.outcome()) {
      case OK -> 2;
      case INFO, PENDING -> 1;
      case FAIL -> 0;
    };
  }

  private static List<Object> sorted(Collection<Object> elements) {
    List<Object> out = new ArrayList<>(elements);
    out.sort(ELEMENT_ORDER);
    return List.copyOf(out);
  }

  /** The q-quantile (0..1) of first-seen latencies in nanoseconds, or -1 when none was measured. */
  public long firstSeenQuantile(double q) {
    if (firstSeenNanos.isEmpty()) {
      return -1;
    }
    long[] sorted = firstSeenNanos.values().stream().mapToLong(Long::longValue).sorted().toArray();
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i];
  }

  @Override
  public String summary() {
    String latency =
        firstSeenNanos.isEmpty()
            ? "no first-seen times"
            : String.format(
                "first seen p50 %.1f ms, max %.1f ms",
                firstSeenQuantile(0.5) / 1e6, firstSeenQuantile(1.0) / 1e6);
    return String.format(
        "set: %s, %d adds (%d ok, %d unknown): %d lost, %d unexpected, %d duplicated,"
            + " %d recovered, %d unchecked; %s",
        valid() ? "valid" : "INVALID",
        attempted,
        acknowledged,
        indeterminate,
        lost.size(),
        unexpected.size(),
        duplicated.size(),
        recovered.size(),
        unchecked.size(),
        latency);
  }

  @Override
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("valid", valid());
    m.put("attempted", attempted);
    m.put("acknowledged", acknowledged);
    m.put("indeterminate", indeterminate);
    m.put("lost", lost);
    m.put("unexpected", unexpected);
    m.put("duplicated", duplicated);
    m.put("recovered", recovered);
    m.put("unchecked", unchecked);
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("count", (long) firstSeenNanos.size());
    latency.put("p50-nanos", firstSeenQuantile(0.5));
    latency.put("p99-nanos", firstSeenQuantile(0.99));
    latency.put("max-nanos", firstSeenQuantile(1.0));
    m.put("first-seen", latency);
    return m;
  }
}
