package dev.faultline.raft.runtime;

/**
 * The command was appended to the leader's log, but leadership was lost (or the node stopped)
 * before the entry was known to be committed: it may or may not take effect.
 */
public final class OutcomeUnknownException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OutcomeUnknownException(String message) {
    super(message);
  }
}
