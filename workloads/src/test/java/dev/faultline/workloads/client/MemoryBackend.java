package dev.faultline.workloads.client;

import dev.faultline.api.BackendFailure;
import dev.faultline.api.CasOutcome;
import dev.faultline.api.ClusterStatus;
import dev.faultline.api.KvBackend;
import dev.faultline.api.Session;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A linearizable in-memory {@link KvBackend} that every test node serves, so a cluster of them is
 * one atomic map. Writes under a session apply at most once (a retry gets the first result), as the
 * store's sessions promise. It can report writes as unknown (applied or not, by a seeded coin),
 * refuse them as unavailable, or serve stale reads.
 */
final class MemoryBackend implements KvBackend {
  private final Map<ByteBuffer, Deque<byte[]>> versions = new HashMap<>();
  private final Map<Session, Object> results = new HashMap<>();
  private final Random random;
  private final String nodeId;
  double unknownRate;
  double unavailableRate;
  double staleReadRate;

  MemoryBackend(String nodeId, long seed) {
    this.nodeId = nodeId;
    this.random = new Random(seed);
  }

  @Override
  public synchronized CompletableFuture<Void> put(byte[] key, byte[] value, Session session) {
    return once(
        session,
        () -> {
          apply(key, value);
          return null;
        });
  }

  @Override
  public synchronized CompletableFuture<Void> delete(byte[] key, Session session) {
    return once(
        session,
        () -> {
          versions.remove(ByteBuffer.wrap(key));
          return null;
        });
  }

  @Override
  public synchronized CompletableFuture<CasOutcome> cas(
      byte[] key, byte[] expected, byte[] value, Session session) {
    return once(
        session,
        () -> {
          Deque<byte[]> v = versions.get(ByteBuffer.wrap(key));
          byte[] current = v == null ? null : v.peekFirst();
          if (!Arrays.equals(current, expected)) {
            return CasOutcome.mismatch(current);
          }
          apply(key, value);
          return CasOutcome.SWAPPED;
        });
  }

  @Override
  public synchronized CompletableFuture<Optional<byte[]>> get(byte[] key) {
    Deque<byte[]> v = versions.get(ByteBuffer.wrap(key));
    if (v == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    byte[] value = v.peekFirst();
    if (v.size() > 1 && random.nextDouble() < staleReadRate) {
      value = v.stream().skip(1 + random.nextInt(v.size() - 1)).findFirst().orElseThrow();
    }
    return CompletableFuture.completedFuture(Optional.of(value.clone()));
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> once(Session session, Supplier<T> command) {
    if (random.nextDouble() < unavailableRate) {
      return CompletableFuture.failedFuture(new BackendFailure.Unavailable("no leader (test)"));
    }
    if (session.present() && results.containsKey(session)) {
      return CompletableFuture.completedFuture((T) results.get(session));
    }
    boolean unknown = random.nextDouble() < unknownRate;
    if (unknown && random.nextBoolean()) {
      return CompletableFuture.failedFuture(
          new BackendFailure.OutcomeUnknown("proposal lost (test)"));
    }
    T result = command.get();
    if (session.present()) {
      results.put(session, result);
    }
    if (unknown) {
      return CompletableFuture.failedFuture(
          new BackendFailure.OutcomeUnknown("proposal timed out after it applied (test)"));
    }
    return CompletableFuture.completedFuture(result);
  }

  private void apply(byte[] key, byte[] value) {
    Deque<byte[]> v =
        versions.computeIfAbsent(ByteBuffer.wrap(key.clone()), k -> new ArrayDeque<>());
    v.addFirst(value.clone());
    if (v.size() > 8) {
      v.removeLast();
    }
  }

  @Override
  public ClusterStatus clusterStatus() {
    return new ClusterStatus(nodeId, nodeId, 1, List.of());
  }

  @Override
  public boolean isReady() {
    return true;
  }
}
