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

  public static DockerClusterOptions of(List<String> ids, NodeImage image, Path runDir) {
    return new DockerClusterOptions(ids, image, runDir, Map.of(), Duration.ofSeconds(90));
  }
}
