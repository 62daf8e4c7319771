package dev.faultline.api.node;

import dev.faultline.api.BackendFailure;
import dev.faultline.api.NodeAddress;
import dev.faultline.raft.runtime.NodeStatus;
import dev.faultline.raft.runtime.NotLeaderException;
import dev.faultline.raft.runtime.OutcomeUnknownException;
import dev.faultline.raft.runtime.RaftNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link Replica} over the Raft runtime's {@link RaftNode}, translating its failures: not leader
 * stays definite, a lost proposal is an unknown outcome, and a read that fails for any other reason
 * is definite (a read changes nothing).
 */
public final class RaftReplica implements Replica {

  private final RaftNode node;
  private final Supplier<List<String>> members;
  private final Executor replies;
  private final Handoffs handoffs;

  /**
   * How long answers wait between the Raft loop completing them and their continuation starting on
   * the thread they were handed to.
   */
  @FunctionalInterface
  public interface Handoffs {
    Handoffs NONE = (read, toCaller, nanos) -> {};

    /**
     * @param read the answer to a read, not to a proposal
     * @param toCaller the caller named the thread (its network thread), rather than the reply pool
     */
    void handedOff(boolean read, boolean toCaller, long nanos);
  }

  /**
   * @param replies where answers continue once the runtime completes them, off its loop thread
   */
  public RaftReplica(RaftNode node, List<String> members, Executor replies) {
    this(node, fixed(members), replies, Handoffs.NONE);
  }

  /**
   * @param members the voting members' ids as of now (they change with the membership)
   */
  public RaftReplica(
      RaftNode node, Supplier<List<String>> members, Executor replies, Handoffs handoffs) {
    this.node = node;
    this.members = members;
    this.replies = replies;
    this.handoffs = handoffs;
  }

  private static Supplier<List<String>> fixed(List<String> members) {
    List<String> copy = List.copyOf(members);
    return () -> copy;
  }

  /** Answers continue on a small shared pool of daemon threads. */
  public RaftReplica(RaftNode node, List<String> members) {
    this(node, members, SharedReplies.POOL);
  }

  /**
   * The default pool. Not the common fork-join pool: on a two-core machine its parallelism is 1,
   * and then {@code *Async} without an executor starts a new thread for every answer, on the Raft
   * loop thread.
   */
  private static final class SharedReplies {
    static final Executor POOL = replyPool("faultline-replies");
  }

  /** A fixed pool of daemon threads for answers, sized to the machine (at least two). */
  public static ExecutorService replyPool(String name) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        Math.max(2, Runtime.getRuntime().availableProcessors()),
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public CompletableFuture<byte[]> propose(byte[] command) {
    return translate(node.propose(command), false, replies, false);
  }

  /**
   * The answer continues on {@code answerOn} instead of the reply pool; handing it there must never
   * block, since the Raft loop does it.
   */
  @Override
  public CompletableFuture<byte[]> propose(byte[] command, Executor answerOn) {
    return translate(node.propose(command), false, answerOn, true);
  }

  @Override
  public CompletableFuture<byte[]> read(byte[] query) {
    return translate(node.read(query), true, replies, false);
  }

  /**
   * The answer continues on {@code answerOn} instead of the reply pool; handing it there must never
   * block, since the Raft loop does it.
   */
  @Override
  public CompletableFuture<byte[]> read(byte[] query, Executor answerOn) {
    return translate(node.read(query), true, answerOn, true);
  }

  private CompletableFuture<byte[]> translate(
      CompletableFuture<byte[]> f, boolean read, Executor next, boolean toCaller) {
    // Leave the runtime's loop thread before anything else runs on the answer.
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    f.whenComplete(
        (value, err) -> {
          long completed = System.nanoTime();
          Runnable continuation =
              () -> {
                handoffs.handedOff(read, toCaller, System.nanoTime() - completed);
                if (err == null) {
                  answer.complete(value);
                } else {
                  answer.completeExceptionally(
                      failure(
                          err instanceof CompletionException && err.getCause() != null
                              ? err.getCause()
                              : err,
                          read));
                }
              };
          try {
            next.execute(continuation);
          } catch (RuntimeException rejected) {
            answer.completeExceptionally(rejected);
          }
        });
    return answer;
  }

  private BackendFailure failure(Throwable err, boolean read) {
    if (err instanceof NotLeaderException nl) {
      String leader = nl.leader();
      return leader == null || leader.equals(node.id())
          ? new BackendFailure.Unavailable(
              "node " + node.id() + " knows no leader (" + nl.getMessage() + "); retry shortly")
          : new BackendFailure.NotLeader(node.id(), new NodeAddress(leader, null, null, null));
    }
    if (err instanceof OutcomeUnknownException) {
      return read
          ? new BackendFailure.Unavailable("read lost with leadership on " + node.id() + "; retry")
          : new BackendFailure.OutcomeUnknown(err.getMessage());
    }
    String message = "node " + node.id() + ": " + err;
    return read
        ? new BackendFailure.Unavailable(message)
        : new BackendFailure.OutcomeUnknown(message);
  }

  @Override
  public String failure() {
    return node.failure();
  }

  @Override
  public View view() {
    NodeStatus s = node.status();
    return new View(
        s.id(),
        s.leader(),
        s.term(),
        s.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        s.commitIndex(),
        s.appliedIndex(),
        members.get(),
        Map.of());
  }
}
