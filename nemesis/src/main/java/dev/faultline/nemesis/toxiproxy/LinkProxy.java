package dev.faultline.nemesis.toxiproxy;

/**
 * The Toxiproxy proxy of one {@link Link}: it listens on {@code listen}, the {@code from} node is
 * told to dial {@code dial} for its peer {@code to}, and the proxy forwards to {@code upstream},
 * the real peer address of {@code to}.
 */
public record LinkProxy(Link link, String listen, String dial, String upstream) {
  public String name() {
    return link.name();
  }
}
