package dev.faultline.nemesis.toxiproxy;

/**
 * A directed peer link: node {@code from} dials node {@code to}'s peer port, and everything {@code
 * from} sends to {@code to} (plus the acknowledgements coming back) travels on it.
 */
public record Link(String from, String to) {
  public Link {
    if (from.equals(to)) {
      throw new IllegalArgumentException("a link joins two nodes, not " + from + " to itself");
    }
  }

  /** The proxy's name, e.g. {@code n1-to-n2}. */
  public String name() {
    return from + "-to-" + to;
  }
}
