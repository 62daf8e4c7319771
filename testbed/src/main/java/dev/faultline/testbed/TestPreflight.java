package dev.faultline.testbed;

import dev.faultline.api.config.ConfigException;
import dev.faultline.api.config.NodeBug;
import dev.faultline.testbed.run.Backend;
import dev.faultline.testbed.run.TestOptions;
import dev.faultline.testbed.serve.RunStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code faultline test} checks before it starts anything (a sandbox, a node, a container, a
 * run directory), so a bad option costs one line and no waiting.
 */
final class TestPreflight {
  private TestPreflight() {}

  /** Refuses a {@code --bug} that no node knows, listing those it knows. */
  static void requireKnownBug(String bug) {
    if (bug == null) {
      return;
    }
    try {
      NodeBug.fromName(bug);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(
          "--bug " + bug + ": not a deliberate bug; known bugs: " + NodeBug.names());
    }
  }

  /**
   * Why the run cannot start, in one line: a store that holds something other than runs, or {@code
   * --cluster docker} with no engine to ask.
   */
  static Optional<String> refusal(TestOptions options) {
    try {
      Optional<String> store = RunStore.refusal(options.store(), "--store");
      if (store.isPresent() || options.backend().cluster() != Backend.Cluster.DOCKER) {
        return store;
      }
    } catch (IOException e) {
      return Optional.of("--store " + options.store() + ": cannot be read: " + e.getMessage());
    }
    return DockerEngine.absence(System.getenv(), Path.of(System.getProperty("user.home")))
        .map(reason -> "--cluster docker needs a Docker engine: " + reason);
  }
}
