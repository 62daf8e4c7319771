package dev.faultline.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What went wrong with a key-value operation, as both transports (HTTP and gRPC) answer it: each
 * maps a kind to its own status code, but whether the client must record a definite {@code fail} or
 * an unknown-outcome {@code info} is decided here, once.
 */
public enum FailureKind {
  /** This node does not lead (a redirect when it knows who does); nothing was done. */
  NOT_LEADER,
  /** No leader is known; nothing was done. */
  UNAVAILABLE,
  /** The request is invalid; nothing was done. */
  REJECTED,
  /** The proposal was accepted and may still commit. */
  OUTCOME_UNKNOWN,
  /** No answer within the request timeout: a read changed nothing, a write may yet commit. */
  TIMED_OUT,
  /** A failure the backend does not declare: a read changed nothing, a write may have. */
  INTERNAL;

  /** The kind of {@code err}, after unwrapping completion and execution wrappers. */
  public static FailureKind of(Throwable err) {
    Throwable e = unwrap(err);
    if (e instanceof BackendFailure.NotLeader) {
      return NOT_LEADER;
    }
    if (e instanceof BackendFailure.Unavailable) {
      return UNAVAILABLE;
    }
    if (e instanceof BackendFailure.Rejected) {
      return REJECTED;
    }
    if (e instanceof BackendFailure.OutcomeUnknown) {
      return OUTCOME_UNKNOWN;
    }
    if (e instanceof TimeoutException) {
      return TIMED_OUT;
    }
    return INTERNAL;
  }

  /**
   * Whether the operation certainly did not take effect ({@code fail}) rather than maybe ({@code
   * info}); a read never changes state, so its timeouts and internal errors are definite too.
   */
  public boolean definite(boolean read) {
    return switch (this) {
      case NOT_LEADER, UNAVAILABLE, REJECTED -> true;
      case OUTCOME_UNKNOWN -> false;
      case TIMED_OUT, INTERNAL -> read;
    };
  }

  /** The cause under any {@link CompletionException} or {@link ExecutionException} wrappers. */
  public static Throwable unwrap(Throwable err) {
    while ((err instanceof CompletionException || err instanceof ExecutionException)
        && err.getCause() != null) {
      err = err.getCause();
    }
    return err;
  }
}
