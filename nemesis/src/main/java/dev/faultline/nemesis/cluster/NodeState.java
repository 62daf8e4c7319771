package dev.faultline.nemesis.cluster;

import java.util.OptionalInt;
import java.util.OptionalLong;

/** What a node's process is doing now, as far as the cluster knows. */
public record NodeState(String id, Phase phase, OptionalLong pid, OptionalInt exitCode) {
  /** The life of a node's process. {@code EXITED} means it ended on its own. */
  public enum Phase {
    NOT_STARTED,
    RUNNING,
    PAUSED,
    KILLED,
    STOPPED,
    EXITED
  }

  public boolean isUp() {
    return phase == Phase.RUNNING || phase == Phase.PAUSED;
  }
}
