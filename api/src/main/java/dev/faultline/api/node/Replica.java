package dev.faultline.api.node;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What {@link ReplicatedBackend} needs from a running Raft node. Futures fail only with {@link
 * dev.faultline.api.BackendFailure}: {@code NotLeader} (its address may carry just the leader's id;
 * the backend fills in the client addresses), {@code Unavailable}, or {@code OutcomeUnknown} once a
 * proposal was appended but its fate is not known.
 */
public interface Replica {

  /** Replicates {@code command}; completes with the state machine's result once it is applied. */
  CompletableFuture<byte[]> propose(byte[] command);

  /**
   * {@link #propose(byte[])}, with the answer continuing on {@code answerOn} instead of the
   * replica's own reply threads; a replica may ignore the hint.
   */
  default CompletableFuture<byte[]> propose(byte[] command, Executor answerOn) {
    return propose(command);
  }

  /** Runs {@code query} against state at least as new as the read (ReadIndex, Raft §6.4). */
  CompletableFuture<byte[]> read(byte[] query);

  /**
   * {@link #read(byte[])}, with the answer continuing on {@code answerOn} instead of the replica's
   * own reply threads; a replica may ignore the hint.
   */
  default CompletableFuture<byte[]> read(byte[] query, Executor answerOn) {
    return read(query);
  }

  /** A snapshot of this node's Raft state; never blocks on the event loop for long. */
  View view();

  /** Why this node's Raft loop stopped for good, or null while it runs. */
  default String failure() {
    return null;
  }

  /**
   * One node's Raft state.
   *
   * @param leaderId the leader this node knows, or null
   * @param role follower, pre-candidate, candidate, leader or learner
   * @param members the voting members' ids
   * @param matchIndex each peer's replicated index, known only on the leader (empty otherwise)
   */
  record View(
      String id,
      String leaderId,
      long term,
      String role,
      long commitIndex,
      long appliedIndex,
      List<String> members,
      Map<String, Long> matchIndex) {

    public View {
      members = List.copyOf(members);
      matchIndex = Map.copyOf(matchIndex);
    }
  }
}
