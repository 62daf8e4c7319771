package dev.faultline.api;

/**
 * Why a {@link KvBackend} operation did not succeed. {@link OutcomeUnknown} is the only failure
 * after which the operation may still have taken effect; every other kind is definite.
 */
public abstract sealed class BackendFailure extends RuntimeException {

  private BackendFailure(String message) {
    super(message, null, false, false);
  }

  /** Whether the operation certainly did not take effect. */
  public boolean definite() {
    return !(this instanceof OutcomeUnknown);
  }

  /** This node is not the leader; {@code leader} is the one it believes leads, or null. */
  public static final class NotLeader extends BackendFailure {
    private final transient NodeAddress leader;

    public NotLeader(String nodeId, NodeAddress leader) {
      super(
          leader == null
              ? "node " + nodeId + " is not the leader and knows no leader; retry shortly"
              : "node " + nodeId + " is not the leader; send to " + leader.id());
      this.leader = leader;
    }

    public NodeAddress leader() {
      return leader;
    }
  }

  /** The proposal may have been committed: timed out after acceptance, or leadership was lost. */
  public static final class OutcomeUnknown extends BackendFailure {
    public OutcomeUnknown(String reason) {
      super(reason);
    }
  }

  /** The request itself is invalid; retrying it unchanged will fail the same way. */
  public static final class Rejected extends BackendFailure {
    public Rejected(String reason) {
      super(reason);
    }
  }

  /** No leader is known (election in progress, or this node is cut off); retry later. */
  public static final class Unavailable extends BackendFailure {
    public Unavailable(String reason) {
      super(reason);
    }
  }
}
