package dev.faultline.raft;

/**
 * The state a node must persist before it answers a vote or acknowledges entries: its current term,
 * whom it voted for in that term (null for nobody), and the highest index it knows committed.
 */
public record HardState(long term, String votedFor, long commit) {
  public static final HardState EMPTY = new HardState(0, null, 0);
}
