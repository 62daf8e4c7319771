package dev.faultline.api;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-memory {@link KvBackend} whose role the test sets: leader (serves), follower (redirects to
 * a given leader), leaderless (unavailable), or one that answers every write "outcome unknown"
 * after applying it. Sessions deduplicate writes as the real store does.
 */
public final class FakeBackend implements KvBackend {

  /** How this fake node behaves. */
  public enum Mode {
    LEADER,
    FOLLOWER,
    NO_LEADER,
    UNKNOWN_AFTER_APPLY,
    NEVER_ANSWERS
  }

  private final String nodeId;
  private final Map<ByteBuffer, byte[]> data;
  private final Map<Session, Object> applied = new ConcurrentHashMap<>();
  private volatile Mode mode = Mode.LEADER;
  private volatile NodeAddress leader;
  public final AtomicInteger writesApplied = new AtomicInteger();
  public final AtomicInteger calls = new AtomicInteger();

  public FakeBackend(String nodeId) {
    this(nodeId, new ConcurrentHashMap<>());
  }

  /** A node sharing {@code data} with others, as replicas of one state would. */
  public FakeBackend(String nodeId, Map<ByteBuffer, byte[]> data) {
    this.nodeId = nodeId;
    this.data = data;
  }

  public Map<ByteBuffer, byte[]> data() {
    return data;
  }

  public FakeBackend mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  private volatile String failure;

  /** Makes the fake report that its Raft loop stopped for {@code reason} (null: running). */
  public FakeBackend fail(String reason) {
    this.failure = reason;
    return this;
  }

  @Override
  public String failure() {
    return failure;
  }

  public FakeBackend follow(NodeAddress leader) {
    this.leader = leader;
    this.mode = Mode.FOLLOWER;
    return this;
  }

  @Override
  public CompletableFuture<Void> put(byte[] key, byte[] value, Session session) {
    return write(
        session,
        () -> {
          data.put(ByteBuffer.wrap(key.clone()), value.clone());
          return null;
        });
  }

  @Override
  public CompletableFuture<Optional<byte[]>> get(byte[] key) {
    calls.incrementAndGet();
    CompletableFuture<Optional<byte[]>> refused = refuse();
    if (refused != null) {
      return refused;
    }
    return CompletableFuture.completedFuture(
        Optional.ofNullable(data.get(ByteBuffer.wrap(key))).map(byte[]::clone));
  }

  @Override
  public CompletableFuture<Void> delete(byte[] key, Session session) {
    return write(
        session,
        () -> {
          data.remove(ByteBuffer.wrap(key));
          return null;
        });
  }

  @Override
  public CompletableFuture<CasOutcome> cas(
      byte[] key, byte[] expected, byte[] value, Session session) {
    return write(
        session,
        () -> {
          synchronized (data) {
            byte[] current = data.get(ByteBuffer.wrap(key));
            boolean matches =
                expected == null
                    ? current == null
                    : current != null && java.util.Arrays.equals(current, expected);
            if (!matches) {
              return CasOutcome.mismatch(current);
            }
            data.put(ByteBuffer.wrap(key.clone()), value.clone());
            return CasOutcome.SWAPPED;
          }
        });
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> write(Session session, Supplier<T> apply) {
    calls.incrementAndGet();
    CompletableFuture<T> refused = refuse();
    if (refused != null) {
      return refused;
    }
    T result;
    if (session.present()) {
      result =
          (T)
              applied.computeIfAbsent(
                  session,
                  s -> {
                    writesApplied.incrementAndGet();
                    T r = apply.get();
                    return r == null ? Boolean.TRUE : r;
                  });
      result = result == Boolean.TRUE ? null : result;
    } else {
      writesApplied.incrementAndGet();
      result = apply.get();
    }
    if (mode == Mode.UNKNOWN_AFTER_APPLY) {
      return CompletableFuture.failedFuture(
          new BackendFailure.OutcomeUnknown("leadership lost before the entry was committed"));
    }
    return CompletableFuture.completedFuture(result);
  }

  private <T> CompletableFuture<T> refuse() {
    return switch (mode) {
      case FOLLOWER -> CompletableFuture.failedFuture(new BackendFailure.NotLeader(nodeId, leader));
      case NO_LEADER ->
          CompletableFuture.failedFuture(
              new BackendFailure.Unavailable("no leader known to " + nodeId + "; retry shortly"));
      case NEVER_ANSWERS -> new CompletableFuture<>();
      case LEADER, UNKNOWN_AFTER_APPLY -> null;
    };
  }

  @Override
  public ClusterStatus clusterStatus() {
    String leaderId =
        switch (mode) {
          case LEADER, UNKNOWN_AFTER_APPLY, NEVER_ANSWERS -> nodeId;
          case FOLLOWER -> leader == null ? null : leader.id();
          case NO_LEADER -> null;
        };
    return new ClusterStatus(
        nodeId,
        leaderId,
        3,
        List.of(
            new ClusterStatus.Member(nodeId, mode.name().toLowerCase(), null, null, 7L, 7L, null)));
  }

  @Override
  public boolean isReady() {
    return mode != Mode.NO_LEADER;
  }
}
