package dev.faultline.testbed.sim;

import java.util.SplittableRandom;

/**
 * The Raft options one seed runs with. Seeds vary them, because every combination must be safe:
 * pre-vote and check-quorum on or off, and small or large AppendEntries batches and windows.
 */
public record RaftSetup(boolean preVote, boolean checkQuorum, int inflight, long messageBytes) {

  static RaftSetup forSeed(SplittableRandom random) {
    boolean preVote = random.nextInt(3) != 0;
    boolean checkQuorum = preVote || random.nextBoolean();
    boolean small = random.nextBoolean();
    return new RaftSetup(preVote, checkQuorum, small ? 1 : 8, small ? 64 : 1024);
  }

  @Override
  public String toString() {
    return "preVote="
        + preVote
        + " checkQuorum="
        + checkQuorum
        + " inflight="
        + inflight
        + " messageBytes="
        + messageBytes;
  }
}
