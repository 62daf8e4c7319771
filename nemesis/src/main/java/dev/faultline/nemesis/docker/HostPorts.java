package dev.faultline.nemesis.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where the host ports a {@link DockerCluster} publishes on loopback come from: any free port the
 * system hands out, or, when {@code FAULTLINE_DOCKER_PORTS} is set (e.g. {@code 20000-20999}), the
 * free ports of that range, so that a shared machine can keep container ports out of others' way. A
 * port is never handed out twice by the same instance. Thread-safe.
 */
public final class HostPorts {
  /** The environment variable naming the range, {@code LOW-HIGH}. */
  public static final String RANGE_VARIABLE = "FAULTLINE_DOCKER_PORTS";

  private final Optional<int[]> range;
  private final Set<Integer> given = new HashSet<>();

  private HostPorts(Optional<int[]> range) {
    this.range = range;
  }

  /** Ports from {@code range} ({@code LOW-HIGH}), or from the system when it is empty or null. */
  public static HostPorts of(String range) {
    if (range == null || range.isBlank()) {
      return new HostPorts(Optional.empty());
    }
    String[] parts = range.trim().split("-", 2);
    try {
      int low = Integer.parseInt(parts[0].trim());
      int high = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : low;
      if (low < 1 || high > 65535 || low > high) {
        throw new NumberFormatException("out of order or out of 1..65535");
      }
      return new HostPorts(Optional.of(new int[] {low, high}));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          RANGE_VARIABLE
              + "="
              + range
              + ": not a port range ("
              + e.getMessage()
              + "); write it as LOW-HIGH, e.g. 20000-20999");
    }
  }

  /** As configured by {@code FAULTLINE_DOCKER_PORTS} in this process's environment. */
  public static HostPorts fromEnvironment() {
    return of(System.getenv(RANGE_VARIABLE));
  }

  /**
   * A port free on loopback now and not handed out before.
   *
   * @throws IllegalStateException when the range has no free port left
   */
  public synchronized int next() {
    if (range.isEmpty()) {
      while (true) {
        int port = bind(0).orElseThrow();
        if (given.add(port)) {
          return port;
        }
      }
    }
    int low = range.get()[0];
    int high = range.get()[1];
    for (int port = low; port <= high; port++) {
      if (!given.contains(port) && bind(port).isPresent()) {
        given.add(port);
        return port;
      }
    }
    throw new IllegalStateException(
        "no free port left in "
            + RANGE_VARIABLE
            + "="
            + low
            + "-"
            + high
            + ": widen the range or stop what holds its ports");
  }

  private static Optional<Integer> bind(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return Optional.of(s.getLocalPort());
    } catch (IOException busy) {
      if (port == 0) {
        throw new UncheckedIOException("cannot find a free port: " + busy.getMessage(), busy);
      }
      return Optional.empty();
    }
  }
}
