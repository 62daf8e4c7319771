package dev.faultline.testbed.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The faults {@code faultline test --nemesis} can schedule. Each maps to one or more of the nemesis
 * module's {@code Fault.Kind}s when a window opens; the name is what the schedule and the
 * availability report use.
 */
public enum FaultKind {
  /** A network partition; its shape is drawn per window. */
  PARTITION,
  /**
   * A network partition that always cuts the current leader off from every other node (Jepsen's
   * {@code partition-leader}); a random node when no leader is known.
   */
  PARTITION_LEADER,
  /** SIGKILL some nodes, then start them again. */
  KILL,
  /** SIGSTOP some nodes, then SIGCONT them. */
  PAUSE,
  /** Kill a node, damage the tail of its newest WAL segment, start it again. */
  DISK,
  /** Restart a node with a skewed clock (libfaketime), then with the real one. */
  CLOCK,
  /** Latency with jitter on some peer links (Toxiproxy only). */
  LATENCY,
  /** A bandwidth cap on some peer links (Toxiproxy only). */
  BANDWIDTH,
  /** Connections of some peer links reset by the peer (Toxiproxy only). */
  FLAKY;

  /**
   * Whether the fault acts on peer links through Toxiproxy, so it needs {@code --net toxiproxy}.
   */
  public boolean onLinks() {
    return this == LATENCY || this == BANDWIDTH || this == FLAKY;
  }

  /** The command-line name, e.g. {@code partition} or {@code partition-leader}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses a command-line name, listing the choices when it cannot. */
  public static FaultKind parse(String name) {
    for (FaultKind k : values()) {
      if (k.cliName().equals(name.strip().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown nemesis '"
            + name
            + "': use none, all, or a comma-separated list of "
            + Arrays.stream(values()).map(FaultKind::cliName).collect(Collectors.joining(", ")));
  }

  /** The kinds of a list, as command-line names. */
  public static List<String> names(List<FaultKind> kinds) {
    return kinds.stream().map(FaultKind::cliName).toList();
  }
}
