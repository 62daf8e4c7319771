package dev.faultline.raft.runtime;

/**
 * The request reached a node that does not lead, so it certainly had no effect; {@link #leader()}
 * names the leader the node knows of (null when it knows none).
 */
public final class NotLeaderException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String leader;

  public NotLeaderException(String message, String leader) {
    super(message);
    this.leader = leader;
  }

  public String leader() {
    return leader;
  }
}
