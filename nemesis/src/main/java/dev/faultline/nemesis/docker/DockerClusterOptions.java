package dev.faultline.nemesis.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link DockerCluster} runs.
 *
 * @param ids the node ids, e.g. n1..n3
 * @param image where the node image comes from
 * @param runDir where each node's {@code <id>/data} and {@code <id>/stdout.log} go
 * @param env extra environment for every node, e.g. {@code FAULTLINE_TICK_MS}
 * @param startTimeout how long a node container may take to serve {@code /healthz}
 */
public record DockerClusterOptions(
    List<String> ids,
    NodeImage image,
    Path runDir,
    Map<String, String> env,
    Duration startTimeout) {
  public DockerClusterOptions {
    ids = List.copyOf(ids);
    env = Map.copyOf(env);
  }

  /**
   * How long a node container may take to serve {@code /healthz} unless told otherwise: as long as
   * a local cluster's start may take. A node container's JVM start is mostly class loading on a
   * client compiler, and on two cores shared with other clusters (load 20) one took 36 s to print
   * its first line and over 54 s more to serve; an engine that answers at all gets there, and one
   * whose node exits fails the start at once, so only a slow start waits this long.
   */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);

  public static DockerClusterOptions of(List<String> ids, NodeImage image, Path runDir) {
    return new DockerClusterOptions(ids, image, runDir, Map.of(), DEFAULT_START_TIMEOUT);
  }
}
