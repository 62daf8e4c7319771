package dev.faultline.api.client;

import dev.faultline.api.CasOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A client of a Faultline cluster over HTTP ({@link #http}) or gRPC ({@link #grpc}). It finds the
 * leader (following redirects and remembering it), retries what is safe — reads, writes that were
 * certainly not applied, and writes carrying a session — and reports a definite failure ({@link
 * KvFailedException}) apart from an unknown outcome ({@link KvUnknownOutcomeException}).
 *
 * <p>Thread-safe. Writes with sessions are issued one at a time per client, so the store sees each
 * client's sequence numbers in order.
 */
public interface KvClient extends AutoCloseable {

  static KvClient http(KvClientOptions options) {
    return new HttpKvClient(options);
  }

  static KvClient grpc(KvClientOptions options) {
    return new GrpcKvClient(options);
  }

  void put(byte[] key, byte[] value);

  /** The value of {@code key}, empty when absent. */
  Optional<byte[]> get(byte[] key);

  void delete(byte[] key);

  /** Sets {@code key} to {@code value} if it holds {@code expected} (null = absent). */
  CasOutcome cas(byte[] key, byte[] expected, byte[] value);

  /** A view of this client (same leader memory and session) with another per-attempt timeout. */
  KvClient withCallTimeout(Duration timeout);

  /** The endpoint this client currently sends to first (the last known leader). */
  String leader();

  default void put(String key, String value) {
    put(utf8(key), utf8(value));
  }

  default Optional<String> get(String key) {
    return get(utf8(key)).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  default void delete(String key) {
    delete(utf8(key));
  }

  /** String compare-and-set; true when swapped. */
  default boolean cas(String key, String expected, String value) {
    return cas(utf8(key), expected == null ? null : utf8(expected), utf8(value)).swapped();
  }

  @Override
  void close();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
