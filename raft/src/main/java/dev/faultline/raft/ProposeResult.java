package dev.faultline.raft;

/** What the core did with a proposal: appended it at (term, index), or refused it. */
public sealed interface ProposeResult permits ProposeResult.Accepted, ProposeResult.Refused {

  /** Appended to the leader's log; committed only if an entry of this term commits there. */
  record Accepted(long term, long index) implements ProposeResult {}

  /**
   * Not appended, so it certainly has no effect.
   *
   * @param reason one line saying why
   * @param leader the leader this node knows of, or null
   */
  record Refused(String reason, String leader) implements ProposeResult {}
}
