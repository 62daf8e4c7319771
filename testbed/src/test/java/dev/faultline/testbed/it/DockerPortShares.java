package dev.faultline.testbed.it;

import dev.faultline.nemesis.docker.HostPorts;
import java.util.Optional;

/**
 * Where the container ITs publish their ports: disjoint shares of {@code FAULTLINE_DOCKER_PORTS},
 * each one third of the range's upper half, and the lock on the Docker engine: ComposeClusterIT has
 * it to itself, the two runs of DockerTestCommandIT share it. The ITs run in parallel (see the
 * parent pom), and a port is only checked free, then published by Docker seconds later: from the
 * lower half of the range {@code .ci/run} sets, a container IT could take a fixed loopback port
 * that an IT running meanwhile binds a moment after (BenchCommandIT's Raft ports from 20000, the
 * local Toxiproxy runs' proxies from 20101), and two runs from one range could take the same port.
 * Without the variable the system hands out the ports, and shares are not needed.
 */
final class DockerPortShares {
  static final int SHARES = 3;

  /** The lock the container ITs hold on the engine. */
  static final String ENGINE = "Docker engine";

  /** ComposeClusterIT's share. */
  static final int COMPOSE = 0;

  /** The shares of DockerTestCommandIT's runs. */
  static final int DOCKER_VALID = 1;

  static final int DOCKER_STALE_READ = 2;

  private DockerPortShares() {}

  /** Share {@code i} of the range in the environment, as {@code LOW-HIGH}; empty without one. */
  static Optional<String> share(int i) {
    return share(System.getenv(HostPorts.RANGE_VARIABLE), i);
  }

  /**
   * Share {@code i} of {@code range} ({@code LOW-HIGH}); the whole range when it is too small to
   * share (under {@code 60 * SHARES} ports), empty when {@code range} is unset.
   */
  static Optional<String> share(String range, int i) {
    if (range == null || range.isBlank()) {
      return Optional.empty();
    }
    HostPorts.of(range); // the variable's own check and message
    String[] parts = range.trim().split("-", 2);
    int low = Integer.parseInt(parts[0].trim());
    int high = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : low;
    int upper = low + (high - low + 1) / 2;
    int width = (high - upper + 1) / SHARES;
    if (width < 30) {
      return Optional.of(range.trim());
    }
    int from = upper + i * width;
    int to = i == SHARES - 1 ? high : from + width - 1;
    return Optional.of(from + "-" + to);
  }

  /** The ports of share {@code i}, or of the system when no range is set. */
  static HostPorts hostPorts(int i) {
    return share(i).map(HostPorts::of).orElseGet(HostPorts::fromEnvironment);
  }
}
