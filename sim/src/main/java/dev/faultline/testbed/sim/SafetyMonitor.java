package dev.faultline.testbed.sim;

import dev.faultline.raft.Entry;
import dev.faultline.raft.RaftCore;
import dev.faultline.raft.Role;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks Raft's safety properties (Figure 3 of the paper) as the run goes: election safety (one
 * leader per term), log matching, leader completeness, state machine safety, and that a node's
 * commit index never decreases nor passes its log. The first violation stops the run.
 */
final class SafetyMonitor {
  private final Map<Long, String> leaders = new HashMap<>();
  private final Map<Long, Entry> committed = new HashMap<>();
  private final Map<Long, String> committedBy = new HashMap<>();

  /**
   * For each committed index, the lowest term any node was in when it applied the entry: at least
   * the term in which it was committed, so checking only leaders of later terms is sound.
   */
  private final Map<Long, Long> committedInTerm = new HashMap<>();

  private final Map<Long, Entry> appended = new HashMap<>();
  private final Map<Long, Long> prevTerms = new HashMap<>();
  private final long[] lastCommit;
  private final long[] lastLeaderTerm;
  private long maxCommitted;
  String violation;
  static final java.util.concurrent.atomic.AtomicLong OLD_TERM_COMMITS =
      new java.util.concurrent.atomic.AtomicLong();

  /** Nodes that became leader since the nemesis last looked. */
  final java.util.ArrayList<SimNode> newLeaders = new java.util.ArrayList<>();

  SafetyMonitor(int nodes) {
    lastCommit = new long[nodes];
    lastLeaderTerm = new long[nodes];
  }

  private void fail(String what) {
    if (violation == null) {
      violation = what;
    }
  }

  private static long key(long index, long term) {
    return index * 1_000_003L + term;
  }

  void started(SimNode n) {
    lastCommit[n.index] = n.core.commitIndex();
    lastLeaderTerm[n.index] = -1;
  }

  /**
   * Log matching: entries with the same index and term carry the same command and follow the same
   * term.
   */
  void appended(SimNode n, List<Entry> entries) {
    for (Entry e : entries) {
      long k = key(e.index(), e.term());
      Entry prior = appended.putIfAbsent(k, e);
      if (prior != null && !prior.equals(e)) {
        fail(
            "log matching: "
                + n.id
                + " appends "
                + e
                + " but another node holds a different entry with that index and term");
      }
      long prev = n.core.termAt(e.index() - 1);
      if (prev >= 0) {
        Long p = prevTerms.putIfAbsent(k, prev);
        if (p != null && p != prev) {
          fail(
              "log matching: entry "
                  + e.index()
                  + "@"
                  + e.term()
                  + " follows term "
                  + prev
                  + " on "
                  + n.id
                  + " but term "
                  + p
                  + " elsewhere");
        }
      }
    }
  }

  /** State machine safety: no two nodes apply different entries at one index. */
  void applied(SimNode n, Entry e) {
    committedInTerm.merge(e.index(), n.core.term(), Math::min);
    Entry prior = committed.putIfAbsent(e.index(), e);
    if (prior == null) {
      committedBy.put(e.index(), n.id);
      maxCommitted = Math.max(maxCommitted, e.index());
    } else if (!prior.equals(e)) {
      fail(
          "state machine safety: "
              + n.id
              + " applies "
              + e
              + " at index "
              + e.index()
              + " but "
              + committedBy.get(e.index())
              + " applied "
              + prior);
    }
  }

  void observe(SimNode n) {
    RaftCore core = n.core;
    long commit = core.commitIndex();
    if (commit < lastCommit[n.index]) {
      fail("commit index of " + n.id + " went back from " + lastCommit[n.index] + " to " + commit);
    }
    if (core.role() == Role.LEADER
        && commit > lastCommit[n.index]
        && core.termAt(commit) != core.term()) {
      OLD_TERM_COMMITS.incrementAndGet();
    }
    lastCommit[n.index] = commit;
    if (core.lastIndex() < commit) {
      fail(
          "committed entries truncated: "
              + n.id
              + " holds entries up to "
              + core.lastIndex()
              + " but its commit index is "
              + commit);
    }
    if (core.role() != Role.LEADER) {
      return;
    }
    long term = core.term();
    String prior = leaders.putIfAbsent(term, n.id);
    if (prior != null && !prior.equals(n.id)) {
      fail("election safety: two leaders in term " + term + ": " + prior + " and " + n.id);
    }
    if (lastLeaderTerm[n.index] != term) {
      lastLeaderTerm[n.index] = term;
      checkCompleteness(n, core, term);
      newLeaders.add(n);
    }
  }

  /**
   * Leader completeness: a new leader's log holds every entry committed in an earlier term (an
   * entry committed in a later term binds only leaders of terms after that one).
   */
  private void checkCompleteness(SimNode n, RaftCore core, long term) {
    for (long i = Math.max(core.firstIndex(), 1); i <= maxCommitted; i++) {
      Entry c = committed.get(i);
      if (c == null || committedInTerm.get(i) >= term) {
        continue;
      }
      long t = core.termAt(i);
      if (t != c.term()) {
        fail(
            "leader completeness: "
                + n.id
                + " leads term "
                + term
                + " without committed entry "
                + i
                + "@"
                + c.term()
                + " (applied by "
                + committedBy.get(i)
                + ")"
                + (t < 0
                    ? " (its log ends at " + core.lastIndex() + ")"
                    : " (holds term " + t + ")"));
        return;
      }
    }
  }

  long maxCommitted() {
    return maxCommitted;
  }
}
