package dev.faultline.nemesis.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Where the node image comes from. Building is left to Docker's cache between runs.
 *
 * <p>A build from the Dockerfile takes its stages' images from {@code FAULTLINE_BASE_IMAGE} and
 * {@code FAULTLINE_BUILD_IMAGE} when set (the Dockerfile's {@code BASE_IMAGE} and {@code
 * BUILD_IMAGE}; {@code ci/containers.sh up} sets both to its local Debian base where no registry is
 * reachable), and copies in the project's {@code testbed/target/faultline.jar} when it exists
 * instead of building it inside the image.
 */
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

  /** The jar a build copies in, relative to the project root. */
  String PREBUILT_JAR = "testbed/target/faultline.jar";

  /** The Dockerfile's build arguments for a build from {@code projectRoot} in {@code env}. */
  static Map<String, String> buildArgs(Path projectRoot, Map<String, String> env) {
    var args = new TreeMap<String, String>();
    Optional.ofNullable(env.get("FAULTLINE_BASE_IMAGE"))
        .filter(s -> !s.isBlank())
        .ifPresent(s -> args.put("BASE_IMAGE", s));
    Optional.ofNullable(env.get("FAULTLINE_BUILD_IMAGE"))
        .filter(s -> !s.isBlank())
        .ifPresent(s -> args.put("BUILD_IMAGE", s));
    if (Files.isRegularFile(projectRoot.resolve(PREBUILT_JAR))) {
      args.put("PREBUILT_JAR", PREBUILT_JAR);
    }
    return args;
  }

  /** The image name or the pending build, as Testcontainers takes it. */
  default Future<String> resolve() {
    if (this instanceof FromDockerfile f) {
      return new ImageFromDockerfile("faultline-node-testbed", false)
          .withDockerfile(f.projectRoot().resolve("Dockerfile"))
          .withBuildArgs(buildArgs(f.projectRoot(), System.getenv()));
    }
    return CompletableFuture.completedFuture(((Named) this).name());
  }
}
