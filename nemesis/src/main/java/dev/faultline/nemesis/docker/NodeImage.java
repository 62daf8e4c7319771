package dev.faultline.nemesis.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.testcontainers.images.builder.ImageFromDockerfile;

/** Where the node image comes from. Building is left to Docker's cache between runs. */
public sealed interface NodeImage {

  /** Built from the project's multi-stage {@code Dockerfile} (its directory is the context). */
  record FromDockerfile(Path projectRoot) implements NodeImage {}

  /** An image already present or pullable, e.g. {@code faultline:dev} from docker compose. */
  record Named(String name) implements NodeImage {}

  static NodeImage fromDockerfile(Path projectRoot) {
    Path dockerfile = projectRoot.resolve("Dockerfile");
    if (!Files.isRegularFile(dockerfile)) {
      throw new IllegalArgumentException(
          "no Dockerfile at " + dockerfile + ": pass the Faultline project root");
    }
    return new FromDockerfile(projectRoot);
  }

  static NodeImage named(String name) {
    return new Named(name);
  }

  /** The image name or the pending build, as Testcontainers takes it. */
  default Future<String> resolve() {
    if (this instanceof FromDockerfile f) {
      return new ImageFromDockerfile("faultline-node-testbed", false)
          .withDockerfile(f.projectRoot().resolve("Dockerfile"));
    }
    return CompletableFuture.completedFuture(((Named) this).name());
  }
}
