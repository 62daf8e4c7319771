package dev.faultline.raft;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/** Majority arithmetic over a set of voters (§5.2, §5.3): elections and commitment. */
record Quorum(Set<String> voters) {

  enum VoteResult {
    WON,
    LOST,
    PENDING
  }

  int size() {
    return voters.size() / 2 + 1;
  }

  /** The largest index that a majority of voters hold, given each voter's match index. */
  long committedIndex(ToLongFunction<String> matchOf) {
    if (voters.isEmpty()) {
      return 0;
    }
    long[] matches = new long[voters.size()];
    int i = 0;
    for (String v : voters) {
      matches[i++] = matchOf.applyAsLong(v);
    }
    Arrays.sort(matches);
    return matches[matches.length - size()];
  }

  VoteResult tally(Map<String, Boolean> votes) {
    int granted = 0;
    int rejected = 0;
    for (String v : voters) {
      Boolean vote = votes.get(v);
      if (vote == null) {
        continue;
      }
      if (vote) {
        granted++;
      } else {
        rejected++;
      }
    }
    if (granted >= size()) {
      return VoteResult.WON;
    }
    if (rejected >= size()) {
      return VoteResult.LOST;
    }
    return VoteResult.PENDING;
  }

  boolean isMajority(int count) {
    return count >= size();
  }
}
