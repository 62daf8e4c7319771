package dev.faultline.api.client;

/** What one attempt at one node produced; the retry loop decides what to do next. */
sealed interface Attempt {

  /** The operation succeeded (a CAS mismatch and an absent read are successes). */
  record Success(Object value) implements Attempt {}

  /** The node is a follower; {@code endpoint} is the leader. */
  record Redirect(String endpoint, String message) implements Attempt {}

  /** Certainly not applied, and worth retrying elsewhere or later (no leader, not sent). */
  record Retryable(String message) implements Attempt {}

  /** Certainly not applied, and retrying will not help (bad input). */
  record Rejected(String message) implements Attempt {}

  /** May have been applied. */
  record Unknown(String message) implements Attempt {}
}
