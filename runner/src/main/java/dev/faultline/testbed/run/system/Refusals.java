package dev.faultline.testbed.run.system;

import java.util.Optional;

/** The refusals every system other than our own node shares. */
public final class Refusals {
  private Refusals() {}

  /**
   * Refuses what only our own node has: TLS from the run's CA, peer links through Toxiproxy, Docker
   * containers built from our Dockerfile, deliberate bugs, a choice of client protocol.
   */
  public static Optional<String> plainLocal(String system, SystemUnderTest.RunShape shape) {
    String suffix = ": that is for --db faultline only; drop it for --db " + system;
    if (shape.tls()) {
      return Optional.of("--tls" + suffix);
    }
    if (shape.proxiedLinks()) {
      return Optional.of("--net toxiproxy" + suffix);
    }
    if (shape.docker()) {
      return Optional.of("--cluster docker" + suffix);
    }
    if (shape.bug().isPresent()) {
      return Optional.of("--bug" + suffix);
    }
    if (!shape.protocol().equals("http")) {
      return Optional.of("--protocol " + shape.protocol() + suffix);
    }
    return Optional.empty();
  }
}
