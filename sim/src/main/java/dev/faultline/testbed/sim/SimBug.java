package dev.faultline.testbed.sim;

import dev.faultline.raft.DeliberateBug;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The deliberate bugs the simulator can switch on: those of the Raft core, and the store's lost
 * rebuild writes (which needs deletes, so the {@code churn} workload). The node's HTTP-layer bugs
 * ({@code stale-read}, {@code ack-before-commit}) live in code the simulator does not run.
 */
public enum SimBug {
  VOTE_NOT_PERSISTED(DeliberateBug.VOTE_NOT_PERSISTED),
  COMMIT_PREVIOUS_TERM(DeliberateBug.COMMIT_PREVIOUS_TERM),
  READ_WITHOUT_QUORUM_CHECK(DeliberateBug.READ_WITHOUT_QUORUM_CHECK),
  TRUNCATE_COMMITTED(DeliberateBug.TRUNCATE_COMMITTED),
  /** A shard rebuild drops the writes applied between its freeze and its swap. */
  LOST_REBUILD_WRITES(null);

  private final DeliberateBug raftBug;

  SimBug(DeliberateBug raftBug) {
    this.raftBug = raftBug;
  }

  /** The core's bug, or null for a bug of the store. */
  public DeliberateBug raftBug() {
    return raftBug;
  }

  /** The command-line name, e.g. {@code lost-rebuild-writes}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses a command-line name; an unknown one is an error that lists the known. */
  public static SimBug fromName(String name) {
    for (SimBug b : values()) {
      if (b.cliName().equals(name) || b.name().equals(name)) {
        return b;
      }
    }
    if (name.equals("stale-read") || name.equals("ack-before-commit")) {
      throw new IllegalArgumentException(
          "bug '"
              + name
              + "' lives in the node's HTTP layer, which the simulator does not run; catch it"
              + " with faultline test --bug "
              + name);
    }
    throw new IllegalArgumentException(
        "unknown bug '"
            + name
            + "'; choose one of "
            + Arrays.stream(values()).map(SimBug::cliName).collect(Collectors.joining(", ")));
  }
}
