package dev.faultline.testbed.cluster;

/**
 * One node as {@code faultline cluster status} sees it: whether its process lives, and its Raft
 * state from {@code GET /v1/cluster} (null fields when it did not answer; {@code error} says why).
 */
public record NodeView(
    String id,
    long pid,
    boolean alive,
    String http,
    String role,
    Long term,
    String leader,
    Long commitIndex,
    Long appliedIndex,
    String error) {

  public boolean answered() {
    return error == null;
  }
}
