package dev.faultline.nemesis;

import dev.faultline.nemesis.faults.ClockFault;
import dev.faultline.nemesis.net.Grudge;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One fault, as data: what it is, which nodes it hits and its parameters (history values only:
 * strings, longs, booleans, lists and maps). The runner records it before {@link Nemesis#start}
 * acts and again when {@link Nemesis#stop} ends it.
 */
public record Fault(Kind kind, List<String> targets, Map<String, Object> params) {

  /** The closed set of faults; each has a start and a stop. */
  public enum Kind {
    /** Start: iptables DROP by grudge. Stop: heal. */
    PARTITION,
    /** Start: SIGKILL. Stop: start again. */
    KILL,
    /** Start: SIGSTOP. Stop: SIGCONT. */
    PAUSE,
    /**
     * Start: SIGKILL, then cut the tail of the newest WAL segment. Stop: start, report readiness.
     */
    WAL_TRUNCATE,
    /** Start: SIGKILL, then flip bits near the end of the newest WAL segment. Stop: as above. */
    WAL_BITFLIP,
    /** Start: restart with a libfaketime clock. Stop: restart with the real clock. */
    CLOCK;

    /** The kebab-case name used in history events, e.g. {@code wal-truncate}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public Fault {
    targets = List.copyOf(targets);
    params = Map.copyOf(params);
  }

  /** The history event name when the fault begins, e.g. {@code start-partition}. */
  public String startName() {
    return "start-" + kind.label();
  }

  /** The history event name when the fault ends, e.g. {@code stop-partition}. */
  public String stopName() {
    return "stop-" + kind.label();
  }

  /** The fault as a history value: its targets and parameters. */
  public Map<String, Object> asValue() {
    var value = new LinkedHashMap<String, Object>();
    value.put("targets", targets);
    value.putAll(new java.util.TreeMap<>(params));
    return value;
  }

  public static Fault partition(Grudge grudge) {
    return new Fault(
        Kind.PARTITION, List.copyOf(grudge.nodes()), Map.of("grudge", grudge.asValue()));
  }

  public static Fault kill(List<String> nodes) {
    return new Fault(Kind.KILL, nodes, Map.of());
  }

  public static Fault pause(List<String> nodes) {
    return new Fault(Kind.PAUSE, nodes, Map.of());
  }

  /** Cuts 1..{@code maxBytes} bytes off {@code node}'s newest WAL segment while it is down. */
  public static Fault walTruncate(String node, int maxBytes) {
    return new Fault(Kind.WAL_TRUNCATE, List.of(node), Map.of("max-bytes", (long) maxBytes));
  }

  /**
   * Flips {@code bits} bits in the last {@code tailBytes} bytes of {@code node}'s newest segment.
   */
  public static Fault walBitflip(String node, int bits, int tailBytes) {
    return new Fault(
        Kind.WAL_BITFLIP,
        List.of(node),
        Map.of("bits", (long) bits, "tail-bytes", (long) tailBytes));
  }

  public static Fault clock(List<String> nodes, ClockFault clock) {
    return new Fault(Kind.CLOCK, nodes, clock.asValue());
  }

  /** The grudge of a partition fault. */
  Grudge grudge() {
    @SuppressWarnings("unchecked")
    var value = (Map<String, List<String>>) params.get("grudge");
    var drops = new HashMap<String, Set<String>>();
    value.forEach((node, from) -> drops.put(node, Set.copyOf(from)));
    return new Grudge(drops);
  }

  /** The clock of a clock fault. */
  ClockFault clockFault() {
    return new ClockFault((String) params.get("faketime"), (Boolean) params.get("fake-monotonic"));
  }

  int intParam(String name) {
    return Math.toIntExact((Long) params.get(name));
  }
}
