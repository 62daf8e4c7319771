package dev.faultline.nemesis.toxiproxy;

import java.util.Map;

/**
 * One toxic to place on a proxy: its name (unique on the proxy), type, the stream it acts on, its
 * attributes in Toxiproxy's units (milliseconds, KB/s) and its toxicity (the share of connections
 * it affects, 0..1).
 */
public record ToxicSpec(
    String name, Type type, Stream stream, Map<String, Long> attributes, double toxicity) {

  /** The Toxiproxy toxic types used here, with their attribute names. */
  public enum Type {
    /** {@code latency}, {@code jitter} (ms). */
    LATENCY,
    /** {@code rate} (KB/s). */
    BANDWIDTH,
    /** {@code delay} (ms) before the close is passed on. */
    SLOW_CLOSE,
    /** {@code timeout} (ms) after which the connection is reset (TCP RST). */
    RESET_PEER,
    /** {@code timeout} (ms, 0 = never): data stops and the connection closes only then. */
    TIMEOUT
  }

  /**
   * Upstream is what the dialling node sends; downstream what comes back to it (Toxiproxy's names).
   */
  public enum Stream {
    UPSTREAM,
    DOWNSTREAM
  }

  public ToxicSpec {
    attributes = Map.copyOf(attributes);
    if (toxicity < 0 || toxicity > 1) {
      throw new IllegalArgumentException(
          "toxic " + name + ": toxicity " + toxicity + " must be in 0..1");
    }
  }

  public long attribute(String key) {
    Long value = attributes.get(key);
    if (value == null) {
      throw new IllegalArgumentException("toxic " + name + " lacks its attribute '" + key + "'");
    }
    return value;
  }
}
