package dev.faultline.raft;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tunables of one node's core. Times are in ticks; the runtime decides how long a tick is.
 *
 * @param id this node's id
 * @param peers the initial voters (including this node when it is one), used until the log or a
 *     snapshot carries a configuration
 * @param electionTicks the base election timeout; each node waits a random time in [base, 2·base)
 * @param heartbeatTicks the leader's heartbeat interval, well below {@code electionTicks}
 * @param preVote poll before campaigning (dissertation §9.6)
 * @param checkQuorum a leader steps down when it has not heard from a majority in an election
 *     timeout, and voters ignore campaigns while they hear from a leader
 * @param maxInflightMsgs the most AppendEntries in flight to one follower
 * @param maxInflightBytes the most entry bytes in flight to one follower
 * @param maxMsgBytes the most entry bytes in one AppendEntries (at least one entry is sent)
 * @param snapshotChunkBytes the size of one InstallSnapshot chunk
 * @param bugs deliberate bugs switched on (empty in production)
 */
public record RaftConfig(
    String id,
    Set<String> peers,
    int electionTicks,
    int heartbeatTicks,
    boolean preVote,
    boolean checkQuorum,
    int maxInflightMsgs,
    long maxInflightBytes,
    long maxMsgBytes,
    int snapshotChunkBytes,
    Set<DeliberateBug> bugs) {

  public RaftConfig {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("node id must not be blank");
    }
    if (heartbeatTicks < 1 || electionTicks <= heartbeatTicks) {
      throw new IllegalArgumentException(
          "node "
              + id
              + ": need 1 <= heartbeatTicks < electionTicks, got "
              + heartbeatTicks
              + " and "
              + electionTicks);
    }
    if (maxInflightMsgs < 1 || maxInflightBytes < 1 || maxMsgBytes < 1 || snapshotChunkBytes < 1) {
      throw new IllegalArgumentException("node " + id + ": flow-control limits must be positive");
    }
    peers = Set.copyOf(new TreeSet<>(peers));
    bugs = bugs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(bugs));
  }

  /** Production defaults: 10-tick elections, 1-tick heartbeats, pre-vote and check-quorum on. */
  public static RaftConfig of(String id, Set<String> peers) {
    return new RaftConfig(id, peers, 10, 1, true, true, 256, 8 << 20, 1 << 20, 1 << 20, Set.of());
  }

  public RaftConfig withTicks(int election, int heartbeat) {
    return new RaftConfig(
        id,
        peers,
        election,
        heartbeat,
        preVote,
        checkQuorum,
        maxInflightMsgs,
        maxInflightBytes,
        maxMsgBytes,
        snapshotChunkBytes,
        bugs);
  }

  public RaftConfig withFlowControl(
      int inflightMsgs, long inflightBytes, long msgBytes, int chunkBytes) {
    return new RaftConfig(
        id,
        peers,
        electionTicks,
        heartbeatTicks,
        preVote,
        checkQuorum,
        inflightMsgs,
        inflightBytes,
        msgBytes,
        chunkBytes,
        bugs);
  }

  public RaftConfig withElectionSafety(boolean preVote, boolean checkQuorum) {
    return new RaftConfig(
        id,
        peers,
        electionTicks,
        heartbeatTicks,
        preVote,
        checkQuorum,
        maxInflightMsgs,
        maxInflightBytes,
        maxMsgBytes,
        snapshotChunkBytes,
        bugs);
  }

  public RaftConfig withBugs(Set<DeliberateBug> bugs) {
    return new RaftConfig(
        id,
        peers,
        electionTicks,
        heartbeatTicks,
        preVote,
        checkQuorum,
        maxInflightMsgs,
        maxInflightBytes,
        maxMsgBytes,
        snapshotChunkBytes,
        bugs);
  }

  public boolean has(DeliberateBug bug) {
    return bugs.contains(bug);
  }
}
