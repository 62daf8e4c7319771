package dev.faultline.testbed.run.system;

import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.NodeLauncher;
import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.workloads.client.ClientFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One run's nodes of a {@link SystemUnderTest}: the command line (and config files) of each node
 * inside its namespace, readiness, the leader as the nodes see it, clients for the workload's ops,
 * and the files to keep in the run directory. Closing it releases what the clients hold.
 */
public interface SystemNodes extends AutoCloseable {
  /** Builds each node's command line; called once per node before the cluster starts. */
  NodeLauncher launcher();

  /** Asks a node which node it believes leads (or, for a primary, which one is primary). */
  LeaderProbe leaderProbe();

  /** Whether the node answers and is ready to serve. */
  boolean ready(NodeAddress node);

  /**
   * Opens a client per process; each request gives up after {@code timeout}. Process {@code p} runs
   * on worker {@code p mod concurrency}.
   */
  ClientFactory clients(Duration timeout, int concurrency);

  /**
   * Copies the node's files worth keeping (configuration, logs outside its data directory) into
   * {@code target}, the run's {@code nodes/<id>/}; the node's output log is copied already.
   */
  default void keep(String nodeId, Path target) throws IOException {}

  /**
   * How long the node may take to exit after SIGTERM at the end of a run before it gets SIGKILL.
   */
  default Duration stopGrace(String nodeId) {
    return STOP_GRACE;
  }

  /** The usual {@link #stopGrace}: a node that flushes and exits needs well under a second. */
  Duration STOP_GRACE = Duration.ofSeconds(3);

  @Override
  default void close() {}
}
