package dev.faultline.raft;

/** What a node currently is in its term. */
public enum Role {
  FOLLOWER,
  /** Polling peers with pre-votes before disrupting anyone (dissertation §9.6). */
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
