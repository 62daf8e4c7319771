package dev.faultline.raft;

import java.util.function.BiConsumer;

/**
 * Carries encoded Raft messages between nodes. Delivery is best-effort: messages may be lost,
 * delayed or reordered, and Raft tolerates all three. Implementations never block the caller (the
 * event loop).
 */
public interface Transport extends AutoCloseable {

  /** Starts delivering inbound messages to {@code receiver} as (sender id, encoded message). */
  void start(BiConsumer<String, byte[]> receiver);

  /** Sends an encoded message to the peer {@code to}; drops it when the peer is unreachable. */
  void send(String to, byte[] message);

  @Override
  void close();
}
