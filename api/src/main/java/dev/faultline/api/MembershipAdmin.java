package dev.faultline.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the admin edge needs to change a cluster's membership one server at a time (add a learner,
 * promote it, remove a member). Only the leader changes membership: elsewhere a future fails with
 * {@link BackendFailure.NotLeader} (or {@link BackendFailure.Unavailable} when no leader is known).
 * A change the leader refuses in its current state fails with {@link Refused}; a change that was
 * proposed but not seen applied in time fails with {@link BackendFailure.OutcomeUnknown}.
 */
public interface MembershipAdmin {

  /** The configuration in force on the leader, with each member's replication progress. */
  CompletableFuture<Members> members();

  /** Adds {@code member} as a learner, its addresses carried in the configuration entry. */
  CompletableFuture<Members> addLearner(NodeAddress member);

  /** Makes the learner {@code id} a voter; refused while it has not caught up. */
  CompletableFuture<Members> promote(String id);

  /** Removes the voter or learner {@code id}. */
  CompletableFuture<Members> remove(String id);

  /**
   * A configuration as the leader sees it.
   *
   * @param leader the leader's id
   * @param index the log index of the configuration (or of the change just applied), 0 if unknown
   * @param lastIndex the leader's last log index
   */
  record Members(
      String leader,
      long term,
      long index,
      long lastIndex,
      List<Member> voters,
      List<Member> learners) {
    public Members {
      voters = List.copyOf(voters);
      learners = List.copyOf(learners);
    }
  }

  /**
   * One member: its addresses as far as known (null parts unknown) and the leader's match index for
   * it (-1 when unknown).
   */
  record Member(String id, String peer, String http, String grpc, long match) {}

  /** The leader refused the change in its current state (already a member, not caught up...). */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message, null, false, false);
    }
  }
}
