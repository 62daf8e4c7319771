package dev.faultline.nemesis.cluster;

import dev.faultline.nemesis.net.NodeAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running set of nodes {@code n1..nN} that the nemesis can start, kill (SIGKILL), pause
 * (SIGSTOP), resume (SIGCONT) and restart. {@link #close} always tears everything down.
 */
public interface Cluster extends AutoCloseable {
  List<String> nodeIds();

  NodeAddress address(String nodeId);

  /** Starts every node that is not up. */
  void start();

  void start(String nodeId);

  /** SIGTERM, then SIGKILL after {@code grace}. */
  void stop(String nodeId, Duration grace);

  /**
   * Stops the nodes named in {@code graces}, each as {@link #stop} with its own grace; a cluster
   * that can stops them all at once, so the slowest sets the time. Never throws for one node.
   *
   * @return one line per node that could not be stopped, naming it
   */
  default List<String> stopAll(Map<String, Duration> graces) {
    var problems = new ArrayList<String>();
    graces.forEach(
        (id, grace) -> {
          try {
            stop(id, grace);
          } catch (RuntimeException e) {
            problems.add("could not stop " + id + ": " + e.getMessage());
          }
        });
    return problems;
  }

  /** SIGKILL: the node gets no chance to flush or clean up. */
  void kill(String nodeId);

  /** SIGSTOP: the process keeps its sockets but runs no code until resumed. */
  void pause(String nodeId);

  /** SIGCONT. */
  void resume(String nodeId);

  /** Kills the node if up and starts it again with its spec plus {@code extraEnv}. */
  void restart(String nodeId, Map<String, String> extraEnv);

  default void restart(String nodeId) {
    restart(nodeId, Map.of());
  }

  NodeState state(String nodeId);

  /** The node's data directory (the target of disk faults). */
  Path dataDir(String nodeId);

  /**
   * The leader most running nodes name through {@code probe}; empty when none is named or the
   * running nodes disagree evenly.
   */
  Optional<String> leader(LeaderProbe probe);

  /**
   * Copies each node's output log and the {@code *.log} files of its data directory to {@code
   * dir/<id>/}.
   */
  void collectLogs(Path dir);

  /**
   * Kills every node and removes what the cluster created; never throws for a node already gone.
   */
  @Override
  void close();
}
