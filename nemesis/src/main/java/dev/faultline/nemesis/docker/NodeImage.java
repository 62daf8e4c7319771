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

  /** The tag a build from the Dockerfile gets. */
  String TESTBED_IMAGE = "faultline-node-testbed:latest";

  /** The label holding {@link #buildDigest} on an image built from the Dockerfile. */
  String DIGEST_LABEL = "dev.faultline.build-digest";

  /**
   * What an image built with a prebuilt jar is made of: the Dockerfile, the build arguments, the
   * stage images ({@code imageIds}: the local id of each argument that names one) and the jar's
   * bytes. Empty without a prebuilt jar: the image is then built from the sources, which this does
   * not cover.
   */
  static Optional<String> buildDigest(
      Path projectRoot, Map<String, String> args, Map<String, String> imageIds) {
    if (!args.containsKey("PREBUILT_JAR")) {
      return Optional.empty();
    }
    try {
      var sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(projectRoot.resolve("Dockerfile")));
      new TreeMap<>(args).forEach((k, v) -> sha.update((k + "=" + v + "\n").getBytes()));
      new TreeMap<>(imageIds).forEach((k, v) -> sha.update((k + "@" + v + "\n").getBytes()));
      try (var in = Files.newInputStream(projectRoot.resolve(args.get("PREBUILT_JAR")))) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
        }
      }
      return Optional.of(java.util.HexFormat.of().formatHex(sha.digest()));
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      return Optional.empty();
    }
  }

  /**
   * The image name or the pending build, as Testcontainers takes it. A build from the Dockerfile
   * whose {@link #buildDigest} matches the label of the image already tagged {@link #TESTBED_IMAGE}
   * is not made again: sending the context (the jar alone is 80 MB) to the engine took seconds of
   * every run, and more when runs start at once.
   */
  default Future<String> resolve() {
    if (this instanceof FromDockerfile f) {
      Map<String, String> args = buildArgs(f.projectRoot(), System.getenv());
      Optional<String> digest = buildDigest(f.projectRoot(), args, stageImageIds(args));
      if (digest.isPresent() && digest.equals(labelOf(TESTBED_IMAGE))) {
        return CompletableFuture.completedFuture(TESTBED_IMAGE);
      }
      return new ImageFromDockerfile(TESTBED_IMAGE, false)
          .withDockerfile(f.projectRoot().resolve("Dockerfile"))
          .withBuildArgs(args)
          .withBuildImageCmdModifier(
              cmd -> digest.ifPresent(d -> cmd.withLabels(Map.of(DIGEST_LABEL, d))));
    }
    return CompletableFuture.completedFuture(((Named) this).name());
  }

  /** The local id of each build argument that names an image present in the engine. */
  private static Map<String, String> stageImageIds(Map<String, String> args) {
    var ids = new TreeMap<String, String>();
    for (String arg : java.util.List.of("BASE_IMAGE", "BUILD_IMAGE")) {
      String image = args.get(arg);
      if (image == null) {
        continue;
      }
      try {
        ids.put(
            arg,
            org.testcontainers.DockerClientFactory.instance()
                .client()
                .inspectImageCmd(image)
                .exec()
                .getId());
      } catch (RuntimeException absent) {
        ids.put(arg, "absent");
      }
    }
    return ids;
  }

  /** The {@link #DIGEST_LABEL} of a local image, or empty when it has none or is absent. */
  private static Optional<String> labelOf(String image) {
    try {
      var config =
          org.testcontainers.DockerClientFactory.instance()
              .client()
              .inspectImageCmd(image)
              .exec()
              .getConfig();
      return config == null || config.getLabels() == null
          ? Optional.empty()
          : Optional.ofNullable(config.getLabels().get(DIGEST_LABEL));
    } catch (RuntimeException absent) {
      return Optional.empty();
    }
  }
}
