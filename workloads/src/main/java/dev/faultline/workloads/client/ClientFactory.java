package dev.faultline.workloads.client;

/**
 * Opens a client for a process. Called again with the fresh process id after an {@code info}
 * completion, as Jepsen does, so the new process starts from a clean connection.
 */
@FunctionalInterface
public interface ClientFactory {

  Client open(long process);
}
