package dev.faultline.raft;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Known-wrong behaviours the core can be switched into, so that the simulator and the testbed can
 * show that they catch them. All are off unless named in {@link RaftConfig#bugs()}.
 */
public enum DeliberateBug {
  /** The term is persisted but not the vote: after a restart a node may vote twice in a term. */
  VOTE_NOT_PERSISTED,
  /** A leader commits entries of earlier terms by counting replicas (Figure 8 of the paper). */
  COMMIT_PREVIOUS_TERM,
  /** ReadIndex answers at once, without a heartbeat round confirming leadership (§8). */
  READ_WITHOUT_QUORUM_CHECK,
  /**
   * A follower replaces everything after prevIndex, so a late AppendEntries cuts committed entries.
   */
  TRUNCATE_COMMITTED;

  /** The command-line name, e.g. {@code vote-not-persisted}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses a command-line name; throws with the list of valid names when unknown. */
  public static DeliberateBug fromName(String name) {
    for (DeliberateBug b : values()) {
      if (b.cliName().equals(name) || b.name().equals(name)) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "unknown bug '"
            + name
            + "'; choose one of "
            + Arrays.stream(values())
                .map(DeliberateBug::cliName)
                .collect(Collectors.joining(", ")));
  }
}
