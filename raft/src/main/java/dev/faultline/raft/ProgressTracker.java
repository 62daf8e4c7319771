package dev.faultline.raft;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The current configuration with one {@link Progress} per member and the votes of the running
 * election. Iteration is in member-id order, so the core's output is deterministic.
 */
final class ProgressTracker {
  private final String self;
  private final int maxInflight;
  private final long maxInflightBytes;
  private Membership membership;
  private Quorum quorum;
  private final TreeMap<String, Progress> progress = new TreeMap<>();
  private final Map<String, Boolean> votes = new HashMap<>();

  ProgressTracker(String self, Membership membership, int maxInflight, long maxInflightBytes) {
    this.self = self;
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
    setMembership(membership, 1);
  }

  Membership membership() {
    return membership;
  }

  Quorum quorum() {
    return quorum;
  }

  boolean isVoter(String id) {
    return membership.voters().contains(id);
  }

  /** Switches to {@code next}, keeping the progress of members that stay. */
  void setMembership(Membership next, long nextIndex) {
    membership = next;
    quorum = new Quorum(next.voters());
    progress.keySet().removeIf(id -> !next.contains(id));
    for (String id : next.voters()) {
      progress.computeIfAbsent(id, k -> newProgress(nextIndex));
    }
    for (String id : next.learners()) {
      progress.computeIfAbsent(id, k -> newProgress(nextIndex));
    }
  }

  private Progress newProgress(long nextIndex) {
    Progress p = new Progress(nextIndex, maxInflight, maxInflightBytes);
    p.recentActive = true;
    return p;
  }

  /** Forgets all replication state (a new term): everyone is probed from {@code nextIndex}. */
  void reset(long nextIndex) {
    for (Map.Entry<String, Progress> e : progress.entrySet()) {
      Progress p = newProgress(nextIndex);
      e.setValue(p);
    }
    votes.clear();
  }

  Progress get(String id) {
    return progress.get(id);
  }

  /** Members other than this node, in id order. */
  Iterable<Map.Entry<String, Progress>> peers() {
    TreeMap<String, Progress> others = new TreeMap<>(progress);
    others.remove(self);
    return others.entrySet();
  }

  long committedIndex() {
    return quorum.committedIndex(
        id -> {
          Progress p = progress.get(id);
          return p == null ? 0 : p.match;
        });
  }

  /** Whether a majority of voters (this node included) was heard from since the last reset. */
  boolean quorumActive() {
    int active = 0;
    for (String v : membership.voters()) {
      Progress p = progress.get(v);
      if (v.equals(self) || (p != null && p.recentActive)) {
        active++;
      }
    }
    return quorum.isMajority(active);
  }

  void resetRecentActive() {
    for (Map.Entry<String, Progress> e : progress.entrySet()) {
      e.getValue().recentActive = e.getKey().equals(self);
    }
  }

  void recordVote(String id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  boolean hasVoted(String id) {
    return votes.containsKey(id);
  }

  Quorum.VoteResult tally() {
    return quorum.tally(votes);
  }

  void resetVotes() {
    votes.clear();
  }
}
