package dev.faultline.workloads.client;

import dev.faultline.workloads.Command;

/**
 * Executes one command against the cluster on behalf of one process. Implementations never throw
 * for a failed operation: a definite failure is a {@code fail} completion, an unknown outcome an
 * {@code info} one. A client is used by one thread at a time.
 */
public interface Client extends AutoCloseable {

  Completion execute(Command command);

  @Override
  default void close() {}
}
