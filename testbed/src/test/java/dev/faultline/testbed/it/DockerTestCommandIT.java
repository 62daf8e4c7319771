package dev.faultline.testbed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.nemesis.docker.DockerCluster;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline test --cluster docker} end to end: three node containers built from the
 * Dockerfile, crashes and partitions through the Toxiproxy container; the run must be valid. Skips
 * when no Docker engine answers.
 */
class DockerTestCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path store;

  @Test
  void crashesAndPartitionsOfADockerClusterAreValid() throws Exception {
    Optional<String> docker = DockerCluster.unavailableReason();
    assumeTrue(docker.isEmpty(), () -> "no Docker engine: " + docker.orElse(""));
    FaultlineJar jar = FaultlineJar.locate();
    Optional<String> unusable = jar.unusable();
    assumeTrue(unusable.isEmpty(), unusable.orElse(""));
    Path root = Path.of(System.getProperty("faultline.root", "..")).toAbsolutePath();

    // The first run builds the image, which takes minutes; later runs use Docker's cache.
    FaultlineJar.Result r =
        jar.run(
            root,
            900,
            "test",
            "--cluster",
            "docker",
            "--store",
            store.toString(),
            "--nodes",
            "3",
            "--nemesis",
            "kill,partition",
            "--time-limit",
            "20",
            "--interval",
            "5",
            "--concurrency",
            "5",
            "--seed",
            "41");

    assertThat(r.code()).as(r.output()).isZero();
    JsonNode results = JSON.readTree(store.resolve("latest").resolve("results.json").toFile());
    assertThat(results.path("verdict").asText()).isEqualTo("valid");
    assertThat(results.path("network").asText()).startsWith("docker");
  }
}
