package dev.faultline.api.node;

import dev.faultline.api.BackendFailure;
import dev.faultline.api.config.NodeBug;
import dev.faultline.store.CommandFormatException;
import dev.faultline.store.KvCommand;
import dev.faultline.store.KvResult;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A {@link Replica} that is wrong on purpose, for the node-level deliberate bugs: {@link
 * NodeBug#STALE_READ} answers reads from local state whenever this node believes it leads, skipping
 * ReadIndex (Raft §6.4 is exactly what makes a deposed leader's answer safe), and {@link
 * NodeBug#ACK_BEFORE_COMMIT} acknowledges a put or delete once it is durable in this node's own
 * log, before a majority holds it (§5.3 says a write is safe only once committed). Anything the
 * bugs do not touch goes to the correct replica underneath.
 */
final class BuggyReplica implements Replica {

  private static final byte[] EARLY_ACK = new KvResult.Done(null).encode();

  private final Replica inner;
  private final Set<NodeBug> bugs;
  private final BooleanSupplier leads;
  private final Function<byte[], byte[]> localQuery;
  private final LocalAppendAcks acks;
  private final Executor replies;

  /**
   * @param leads whether this node believes it is the leader right now
   * @param localQuery runs a query against this node's state machine as it stands
   * @param acks tells when a command is durable in this node's log (for ack-before-commit)
   * @param replies where early acknowledgements continue, off the Raft loop thread
   */
  BuggyReplica(
      Replica inner,
      Set<NodeBug> bugs,
      BooleanSupplier leads,
      Function<byte[], byte[]> localQuery,
      LocalAppendAcks acks,
      Executor replies) {
    this.inner = inner;
    this.bugs = bugs.isEmpty() ? EnumSet.noneOf(NodeBug.class) : EnumSet.copyOf(bugs);
    this.leads = leads;
    this.localQuery = localQuery;
    this.acks = acks;
    this.replies = replies;
  }

  @Override
  public String failure() {
    return inner.failure();
  }

  @Override
  public CompletableFuture<byte[]> propose(byte[] command) {
    if (!bugs.contains(NodeBug.ACK_BEFORE_COMMIT) || acks == null || !ackedEarly(command)) {
      return inner.propose(command);
    }
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    acks.awaitDurable(command).thenRunAsync(() -> answer.complete(EARLY_ACK.clone()), replies);
    inner
        .propose(command)
        .whenComplete(
            (result, err) -> {
              acks.forget(command);
              if (err != null) {
                answer.completeExceptionally(err);
              } else {
                answer.complete(result);
              }
            });
    return answer;
  }

  /** Only puts and deletes: their acknowledgement carries nothing the apply would decide. */
  private static boolean ackedEarly(byte[] command) {
    try {
      KvCommand c = KvCommand.decode(command);
      return c instanceof KvCommand.Put || c instanceof KvCommand.Delete;
    } catch (CommandFormatException e) {
      return false;
    }
  }

  @Override
  public CompletableFuture<byte[]> read(byte[] query) {
    if (!bugs.contains(NodeBug.STALE_READ)) {
      return inner.read(query);
    }
    if (!leads.getAsBoolean()) {
      return inner.read(query); // a follower's read still fails over to the leader as usual
    }
    try {
      return CompletableFuture.completedFuture(localQuery.apply(query));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new BackendFailure.Unavailable("local read on " + view().id() + " failed: " + e));
    }
  }

  @Override
  public View view() {
    return inner.view();
  }
}
