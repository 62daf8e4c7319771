package dev.faultline.nemesis.toxiproxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A link fault only Toxiproxy can impose, as data: its kind, the directed links it hits and its
 * parameters (history values: strings, longs, doubles). {@link ToxiproxyNet#start} places one toxic
 * per stream of each link; {@link ToxiproxyNet#stop} removes them.
 */
public record ToxicFault(Kind kind, List<Link> links, Map<String, Object> params) {

  /** The closed set of toxic faults. */
  public enum Kind {
    /** Latency with jitter on both streams. */
    LATENCY,
    /** A bandwidth cap on both streams. */
    BANDWIDTH,
    /** Connections reset by the peer after a timeout, for a share of connections. */
    FLAKY,
    /** The close of a connection passed on only after a delay. */
    SLOW_CLOSE;

    /** The kebab-case name used in history events, e.g. {@code slow-close}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public ToxicFault {
    if (links.isEmpty()) {
      throw new IllegalArgumentException(kind.label() + " fault: no links to act on");
    }
    links = List.copyOf(links);
    params = Map.copyOf(params);
  }

  /** {@code latency} ± {@code jitter} on every message both ways. */
  public static ToxicFault latency(List<Link> links, Duration latency, Duration jitter) {
    requireNonNegative(latency, "latency");
    requireNonNegative(jitter, "jitter");
    return new ToxicFault(
        Kind.LATENCY,
        links,
        Map.of("latency-ms", latency.toMillis(), "jitter-ms", jitter.toMillis()));
  }

  /** At most {@code kilobytesPerSecond} each way. */
  public static ToxicFault bandwidth(List<Link> links, long kilobytesPerSecond) {
    if (kilobytesPerSecond < 0) {
      throw new IllegalArgumentException("bandwidth fault: rate must be >= 0 KB/s");
    }
    return new ToxicFault(Kind.BANDWIDTH, links, Map.of("rate-kbps", kilobytesPerSecond));
  }

  /**
   * Resets a share {@code probability} (0..1) of the links' connections after {@code timeout} (0 =
   * at once), as a peer that crashes or a middlebox that drops state would.
   */
  public static ToxicFault flaky(List<Link> links, Duration timeout, double probability) {
    requireNonNegative(timeout, "timeout");
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException(
          "flaky fault: probability " + probability + " must be in (0, 1]");
    }
    return new ToxicFault(
        Kind.FLAKY, links, Map.of("timeout-ms", timeout.toMillis(), "probability", probability));
  }

  /** Holds each connection's close for {@code delay}. */
  public static ToxicFault slowClose(List<Link> links, Duration delay) {
    requireNonNegative(delay, "delay");
    return new ToxicFault(Kind.SLOW_CLOSE, links, Map.of("delay-ms", delay.toMillis()));
  }

  private static void requireNonNegative(Duration d, String what) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, got " + d);
    }
  }

  public String startName() {
    return "start-" + kind.label();
  }

  public String stopName() {
    return "stop-" + kind.label();
  }

  /** The nodes the fault's links touch, in link order. */
  public List<String> targets() {
    List<String> nodes = new ArrayList<>();
    for (Link link : links) {
      for (String n : List.of(link.from(), link.to())) {
        if (!nodes.contains(n)) {
          nodes.add(n);
        }
      }
    }
    return nodes;
  }

  /** The fault as a history value: its links (by proxy name) and parameters. */
  public Map<String, Object> asValue() {
    var value = new LinkedHashMap<String, Object>();
    value.put("links", links.stream().map(Link::name).toList());
    value.putAll(new TreeMap<>(params));
    return value;
  }

  /** The toxics to place on each of the fault's links. */
  public List<ToxicSpec> toxics() {
    String base = "faultline-" + kind.label();
    return switch (kind) {
      case LATENCY ->
          bothStreams(
              base,
              ToxicSpec.Type.LATENCY,
              Map.of("latency", longParam("latency-ms"), "jitter", longParam("jitter-ms")),
              1.0);
      case BANDWIDTH ->
          bothStreams(base, ToxicSpec.Type.BANDWIDTH, Map.of("rate", longParam("rate-kbps")), 1.0);
      case SLOW_CLOSE ->
          bothStreams(base, ToxicSpec.Type.SLOW_CLOSE, Map.of("delay", longParam("delay-ms")), 1.0);
        // A reset on the dialling side's stream is enough: the whole connection goes.
      case FLAKY ->
          List.of(
              new ToxicSpec(
                  base + "-upstream",
                  ToxicSpec.Type.RESET_PEER,
                  ToxicSpec.Stream.UPSTREAM,
                  Map.of("timeout", longParam("timeout-ms")),
                  ((Number) params.get("probability")).doubleValue()));
    };
  }

  private static List<ToxicSpec> bothStreams(
      String base, ToxicSpec.Type type, Map<String, Long> attributes, double toxicity) {
    return List.of(
        new ToxicSpec(base + "-upstream", type, ToxicSpec.Stream.UPSTREAM, attributes, toxicity),
        new ToxicSpec(
            base + "-downstream", type, ToxicSpec.Stream.DOWNSTREAM, attributes, toxicity));
  }

  private long longParam(String name) {
    return ((Number) params.get(name)).longValue();
  }
}
