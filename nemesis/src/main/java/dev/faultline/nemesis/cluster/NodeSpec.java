package dev.faultline.nemesis.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to run one node: its command line, extra environment, working directory, data directory (kept
 * across restarts, the target of disk faults) and the file its stdout and stderr go to.
 */
public record NodeSpec(
    String id,
    List<String> argv,
    Map<String, String> env,
    Path workDir,
    Path dataDir,
    Path logFile) {
  public NodeSpec {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("node " + id + ": empty command line");
    }
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  /** The same node with more environment (later entries win), e.g. a clock fault's. */
  public NodeSpec withEnv(Map<String, String> extra) {
    var merged = new java.util.HashMap<>(env);
    merged.putAll(extra);
    return new NodeSpec(id, argv, merged, workDir, dataDir, logFile);
  }
}
