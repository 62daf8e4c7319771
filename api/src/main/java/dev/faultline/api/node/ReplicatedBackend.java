package dev.faultline.api.node;

import dev.faultline.api.BackendFailure;
import dev.faultline.api.CasOutcome;
import dev.faultline.api.ClusterStatus;
import dev.faultline.api.KvBackend;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.Session;
import dev.faultline.store.CommandFormatException;
import dev.faultline.store.KvCommand;
import dev.faultline.store.KvQuery;
import dev.faultline.store.KvResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The {@link KvBackend} of a real node: operations become the store's {@link KvCommand}s and {@link
 * KvQuery}s, replicated through a {@link Replica}, and the store's {@link KvResult}s become
 * answers. A follower's "not leader" gains the leader's client addresses from {@code directory}.
 */
public final class ReplicatedBackend implements KvBackend {

  private final Replica replica;
  private final Function<String, Optional<NodeAddress>> directory;

  /**
   * @param directory a node's addresses by id (for example {@code NodeConfig::peer})
   */
  public ReplicatedBackend(Replica replica, Function<String, Optional<NodeAddress>> directory) {
    this.replica = replica;
    this.directory = directory;
  }

  @Override
  public CompletableFuture<Void> put(byte[] key, byte[] value, Session session) {
    return put(key, value, session, null);
  }

  @Override
  public CompletableFuture<Void> put(byte[] key, byte[] value, Session session, Executor answerOn) {
    return write(new KvCommand.Put(key, value, session.clientId(), session.seq()), answerOn)
        .thenApply(ReplicatedBackend::done);
  }

  @Override
  public CompletableFuture<Void> delete(byte[] key, Session session) {
    return delete(key, session, null);
  }

  @Override
  public CompletableFuture<Void> delete(byte[] key, Session session, Executor answerOn) {
    return write(new KvCommand.Delete(key, session.clientId(), session.seq()), answerOn)
        .thenApply(ReplicatedBackend::done);
  }

  @Override
  public CompletableFuture<CasOutcome> cas(
      byte[] key, byte[] expected, byte[] value, Session session) {
    return cas(key, expected, value, session, null);
  }

  @Override
  public CompletableFuture<CasOutcome> cas(
      byte[] key, byte[] expected, byte[] value, Session session, Executor answerOn) {
    return write(
            new KvCommand.Cas(key, expected, value, session.clientId(), session.seq()), answerOn)
        .thenApply(
            r -> {
              if (r instanceof KvResult.Done) {
                return CasOutcome.SWAPPED;
              }
              if (r instanceof KvResult.CasMismatch m) {
                return CasOutcome.mismatch(m.current());
              }
              throw rejected(r);
            });
  }

  @Override
  public CompletableFuture<Optional<byte[]>> get(byte[] key) {
    return answer(replica.read(new KvQuery(key).encode()));
  }

  @Override
  public CompletableFuture<Optional<byte[]>> get(byte[] key, Executor answerOn) {
    return answer(replica.read(new KvQuery(key).encode(), answerOn));
  }

  private CompletableFuture<Optional<byte[]>> answer(CompletableFuture<byte[]> read) {
    return read.thenApply(bytes -> Optional.ofNullable(KvQuery.decodeResult(bytes)))
        .exceptionallyCompose(this::enrich);
  }

  /** {@code answerOn} null: wherever the replica hands its answers to. */
  private CompletableFuture<KvResult> write(KvCommand command, Executor answerOn) {
    byte[] encoded = command.encode();
    return (answerOn == null ? replica.propose(encoded) : replica.propose(encoded, answerOn))
        .thenApply(ReplicatedBackend::decode)
        .exceptionallyCompose(this::enrich);
  }

  private static KvResult decode(byte[] result) {
    try {
      return KvResult.decode(result);
    } catch (CommandFormatException e) {
      // The command was applied; only its answer is unreadable.
      throw new BackendFailure.OutcomeUnknown(
          "unreadable result from the store: " + e.getMessage());
    }
  }

  private static Void done(KvResult r) {
    if (r instanceof KvResult.Done) {
      return null;
    }
    throw rejected(r);
  }

  private static BackendFailure rejected(KvResult r) {
    if (r instanceof KvResult.Rejected rej) {
      return new BackendFailure.Rejected(rej.reason());
    }
    return new BackendFailure.OutcomeUnknown("unexpected result from the store: " + r);
  }

  /** Fills a "not leader" failure's leader with its client addresses. */
  private <T> CompletableFuture<T> enrich(Throwable err) {
    Throwable cause =
        err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof BackendFailure.NotLeader notLeader
        && notLeader.leader() != null
        && notLeader.leader().http() == null) {
      NodeAddress known = directory.apply(notLeader.leader().id()).orElse(notLeader.leader());
      return CompletableFuture.failedFuture(
          new BackendFailure.NotLeader(replica.view().id(), known));
    }
    return CompletableFuture.failedFuture(cause);
  }

  @Override
  public ClusterStatus clusterStatus() {
    Replica.View v = replica.view();
    List<ClusterStatus.Member> members = new ArrayList<>();
    for (String id : v.members()) {
      Optional<NodeAddress> a = directory.apply(id);
      boolean self = id.equals(v.id());
      members.add(
          new ClusterStatus.Member(
              id,
              self ? v.role() : id.equals(v.leaderId()) ? "leader" : null,
              a.map(NodeAddress::http).orElse(null),
              a.map(NodeAddress::grpc).orElse(null),
              self ? v.commitIndex() : null,
              self ? v.appliedIndex() : null,
              v.matchIndex().get(id)));
    }
    return new ClusterStatus(v.id(), v.leaderId(), v.term(), members);
  }

  @Override
  public boolean isReady() {
    return failure() == null && replica.view().leaderId() != null;
  }

  @Override
  public String failure() {
    return replica.failure();
  }
}
