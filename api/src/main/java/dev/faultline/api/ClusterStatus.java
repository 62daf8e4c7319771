package dev.faultline.api;

import java.util.List;

/**
 * One node's view of the cluster: who it is, whom it believes leads in which term, and what it
 * knows of each member. Index fields are {@code null} when this node does not know them (a follower
 * knows only its own indices; a leader also knows each peer's match index).
 */
public record ClusterStatus(String nodeId, String leaderId, long term, List<Member> members) {

  public ClusterStatus {
    members = List.copyOf(members);
  }

  /** One member as seen from {@link #nodeId}. */
  public record Member(
      String id,
      String role,
      String http,
      String grpc,
      Long commitIndex,
      Long appliedIndex,
      Long matchIndex) {}
}
