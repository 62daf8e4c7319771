package dev.faultline.raft;

/**
 * Identifies a snapshot: the last log entry it covers and the cluster configuration as of that
 * entry. {@link #NONE} (index 0, term 0) means no snapshot.
 *
 * @param index the index of the last entry the snapshot includes
 * @param term the term of that entry
 * @param voters the voting members as of {@code index}
 * @param learners the non-voting members as of {@code index}
 */
public record SnapshotMeta(
    long index, long term, java.util.Set<String> voters, java.util.Set<String> learners) {
  public static final SnapshotMeta NONE =
      new SnapshotMeta(0, 0, java.util.Set.of(), java.util.Set.of());

  public SnapshotMeta {
    voters = java.util.Set.copyOf(voters);
    learners = java.util.Set.copyOf(learners);
  }
}
