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
 * @param ticks election and heartbeat timing
 * @param safety pre-vote and check-quorum
 * @param flow how much is sent to one follower at a time
 * @param bugs deliberate bugs switched on (empty in production)
 */
public record RaftConfig(
    String id,
    Set<String> peers,
    Ticks ticks,
    ElectionSafety safety,
    FlowControl flow,
    Set<DeliberateBug> bugs) {

  /**
   * @param election the base election timeout; each node waits a random time in [base, 2·base)
   * @param heartbeat the leader's heartbeat interval, well below {@code election}
   */
  public record Ticks(int election, int heartbeat) {
    public Ticks {
      if (heartbeat < 1 || election <= heartbeat) {
        throw new IllegalArgumentException(
            "need 1 <= heartbeatTicks < electionTicks, got " + heartbeat + " and " + election);
      }
    }
  }

  /**
   * @param preVote poll before campaigning (dissertation §9.6)
   * @param checkQuorum a leader steps down when it has not heard from a majority in an election
   *     timeout, and voters ignore campaigns while they hear from a leader
   */
  public record ElectionSafety(boolean preVote, boolean checkQuorum) {}

  /**
   * @param maxInflightMsgs the most AppendEntries in flight to one follower
   * @param maxInflightBytes the most entry bytes in flight to one follower
   * @param maxMsgBytes the most entry bytes in one AppendEntries (at least one entry is sent)
   * @param snapshotChunkBytes the size of one InstallSnapshot chunk
   */
  public record FlowControl(
      int maxInflightMsgs, long maxInflightBytes, long maxMsgBytes, int snapshotChunkBytes) {
    public FlowControl {
      if (maxInflightMsgs < 1
          || maxInflightBytes < 1
          || maxMsgBytes < 1
          || snapshotChunkBytes < 1) {
        throw new IllegalArgumentException("flow-control limits must be positive");
      }
    }
  }

  public RaftConfig {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("node id must not be blank");
    }
    peers = Set.copyOf(new TreeSet<>(peers));
    bugs = bugs.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(bugs));
  }

  /** Production defaults: 10-tick elections, 1-tick heartbeats, pre-vote and check-quorum on. */
  public static RaftConfig of(String id, Set<String> peers) {
    return new RaftConfig(
        id,
        peers,
        new Ticks(10, 1),
        new ElectionSafety(true, true),
        new FlowControl(256, 8 << 20, 1 << 20, 1 << 20),
        Set.of());
  }

  public int electionTicks() {
    return ticks.election();
  }

  public int heartbeatTicks() {
    return ticks.heartbeat();
  }

  public boolean preVote() {
    return safety.preVote();
  }

  public boolean checkQuorum() {
    return safety.checkQuorum();
  }

  public int maxInflightMsgs() {
    return flow.maxInflightMsgs();
  }

  public long maxInflightBytes() {
    return flow.maxInflightBytes();
  }

  public long maxMsgBytes() {
    return flow.maxMsgBytes();
  }

  public int snapshotChunkBytes() {
    return flow.snapshotChunkBytes();
  }

  public RaftConfig withTicks(int election, int heartbeat) {
    try {
      return new RaftConfig(id, peers, new Ticks(election, heartbeat), safety, flow, bugs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("node " + id + ": " + e.getMessage());
    }
  }

  public RaftConfig withFlowControl(
      int inflightMsgs, long inflightBytes, long msgBytes, int chunkBytes) {
    try {
      return new RaftConfig(
          id,
          peers,
          ticks,
          safety,
          new FlowControl(inflightMsgs, inflightBytes, msgBytes, chunkBytes),
          bugs);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("node " + id + ": " + e.getMessage());
    }
  }

  public RaftConfig withElectionSafety(boolean preVote, boolean checkQuorum) {
    return new RaftConfig(id, peers, ticks, new ElectionSafety(preVote, checkQuorum), flow, bugs);
  }

  public RaftConfig withBugs(Set<DeliberateBug> bugs) {
    return new RaftConfig(id, peers, ticks, safety, flow, bugs);
  }

  public boolean has(DeliberateBug bug) {
    return bugs.contains(bug);
  }
}
