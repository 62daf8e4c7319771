package dev.faultline.api;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What the HTTP and gRPC edges need from a node: asynchronous key-value operations and the node's
 * view of the cluster. A returned future fails only with a {@link BackendFailure}, whose type says
 * whether the operation certainly did not happen ({@code NotLeader}, {@code Rejected}, {@code
 * Unavailable}) or may have ({@code OutcomeUnknown}).
 *
 * <p>Keys and values are raw bytes; the backend never keeps a reference to an array after the
 * future completes, and callers never mutate an array they passed in.
 */
public interface KvBackend {

  /** Writes {@code value} under {@code key}; completes once the write is committed and applied. */
  CompletableFuture<Void> put(byte[] key, byte[] value, Session session);

  /**
   * {@link #put(byte[], byte[], Session)}, with the answer continuing on {@code answerOn}: the
   * caller's own network thread, or its server's request threads. Handing work to it must never
   * block (the backend may do so from its Raft loop); whether the continuation may block is the
   * caller's business. A backend may ignore the hint. The same holds for every operation that takes
   * an {@code answerOn}.
   */
  default CompletableFuture<Void> put(
      byte[] key, byte[] value, Session session, Executor answerOn) {
    return put(key, value, session);
  }

  /** Reads the current value of {@code key} linearizably; empty when the key is absent. */
  CompletableFuture<Optional<byte[]>> get(byte[] key);

  /**
   * {@link #get(byte[])}, with the answer continuing on {@code answerOn} (see {@link #put(byte[],
   * byte[], Session, Executor)}) instead of wherever the backend would hand it to. A backend may
   * ignore the hint.
   */
  default CompletableFuture<Optional<byte[]>> get(byte[] key, Executor answerOn) {
    return get(key);
  }

  /** Removes {@code key}; succeeds whether or not it was present. */
  CompletableFuture<Void> delete(byte[] key, Session session);

  /** {@link #delete(byte[], Session)}, answering on {@code answerOn} (see {@link #put}). */
  default CompletableFuture<Void> delete(byte[] key, Session session, Executor answerOn) {
    return delete(key, session);
  }

  /**
   * Sets {@code key} to {@code value} if its current value equals {@code expected} ({@code null}
   * meaning absent); a mismatch is a result, not a failure.
   */
  CompletableFuture<CasOutcome> cas(byte[] key, byte[] expected, byte[] value, Session session);

  /** {@link #cas(byte[], byte[], byte[], Session)}, answering on {@code answerOn}. */
  default CompletableFuture<CasOutcome> cas(
      byte[] key, byte[] expected, byte[] value, Session session, Executor answerOn) {
    return cas(key, expected, value, session);
  }

  /** This node's current view of the cluster. Never blocks on the network. */
  ClusterStatus clusterStatus();

  /** Whether this node can serve requests: it knows a leader (itself or another node). */
  boolean isReady();

  /**
   * Why this node can never serve again (its Raft loop stopped on a fatal error), or null while it
   * runs; a live process in that state must not look healthy.
   */
  default String failure() {
    return null;
  }
}
