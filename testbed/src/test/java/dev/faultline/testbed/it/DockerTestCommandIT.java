package dev.faultline.testbed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.nemesis.docker.DockerCluster;
import dev.faultline.nemesis.docker.HostPorts;
import dev.faultline.nemesis.docker.NodeImage;
import dev.faultline.testbed.DockerEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code faultline test --cluster docker} end to end: three node containers built from the
 * Dockerfile, crashes, pauses, partitions and latency through the Toxiproxy container; the run must
 * be valid, and with the stale-read bug under leader partitions it must be invalid. Skips when no
 * Docker engine answers.
 */
@Order(1)
// Its two runs share the Docker engine with each other, not with ComposeClusterIT: three
// clusters of containers at once on two busy cores (load 84) took over 90 s to start a node.
@ResourceLock(value = DockerPortShares.ENGINE, mode = ResourceAccessMode.READ)
class DockerTestCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path store;

  @Test
  void crashesPausesPartitionsAndLatencyOfADockerClusterAreValid() throws Exception {
    JsonNode results =
        run(
            0,
            30,
            DockerPortShares.DOCKER_VALID,
            List.of("--interval", "5", "--concurrency", "5"),
            "--nemesis",
            "kill,partition,pause,latency",
            "--seed",
            "41");
    assertThat(results.path("verdict").asText()).isEqualTo("valid");
    assertThat(results.path("network").asText()).startsWith("docker");
    assertThat(results.path("faults").size()).isPositive();
  }

  @Test
  void staleReadsUnderLeaderPartitionsOfADockerClusterAreInvalid() throws Exception {
    // A stale read needs, inside one window, a new leader elected on the majority side, a write
    // acknowledged by it, and then a read of that key by a client still bound to the deposed
    // leader; a client leaves it at its first failed write. At load 15 (34-186 ops/s) 60 s of five
    // clients and 2.5-5 s windows (interval 5) found none: the election ate most of each window and
    // the few clients had all left. Twelve clients and windows of 4-8 s (interval 8: four of them
    // in 60 s) leave room for all three. Before: on a loaded machine 30 s (seed 43) found no stale
    // read, and neither did 30 s with TestCommandIT's pacing (seed 17's windows of 6 s intervals).
    JsonNode results =
        run(
            1,
            60,
            DockerPortShares.DOCKER_STALE_READ,
            List.of("--interval", "8", "--concurrency", "12"),
            "--bug",
            "stale-read",
            "--nemesis",
            "partition-leader",
            "--seed",
            "43");
    assertThat(results.path("verdict").asText()).isEqualTo("invalid");
    assertThat(results.path("network").asText()).startsWith("docker");
  }

  /** The run's fault windows from its results, for a failure's message. */
  private String faultWindows() {
    Path results = store.resolve("latest").resolve("results.json");
    try {
      return JSON.readTree(results.toFile()).path("availability").path("windows").toString();
    } catch (java.io.IOException e) {
      return "none read (" + e.getMessage() + ")";
    }
  }

  private static boolean imageBuilt;

  /**
   * Builds the node image before the runs, once for both: each run then finds it (labelled with
   * what it was built from) instead of both sending the 80 MB context at once and building it
   * twice.
   */
  private static synchronized void nodeImageBuiltOnce(Path root) throws Exception {
    if (!imageBuilt) {
      NodeImage.fromDockerfile(root).resolve().get();
      imageBuilt = true;
    }
  }

  /**
   * One run of {@code seconds} on three containers, publishing its ports from {@code portShare} of
   * {@link DockerPortShares}; {@code expectedCode} is the CLI's exit code.
   */
  private JsonNode run(
      int expectedCode, int seconds, int portShare, List<String> pacing, String... extra)
      throws Exception {
    // The socket is asked first: Testcontainers takes many seconds to conclude there is no engine.
    Optional<String> engine =
        DockerEngine.absence(System.getenv(), Path.of(System.getProperty("user.home")));
    assumeTrue(engine.isEmpty(), () -> engine.orElse(""));
    Optional<String> docker = DockerCluster.unavailableReason();
    assumeTrue(docker.isEmpty(), () -> "no Docker engine: " + docker.orElse(""));
    FaultlineJar jar = FaultlineJar.locate();
    Optional<String> unusable = jar.unusable();
    assumeTrue(unusable.isEmpty(), unusable.orElse(""));
    Path root = Path.of(System.getProperty("faultline.root", "..")).toAbsolutePath();
    nodeImageBuiltOnce(root);

    var args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "test",
                "--cluster",
                "docker",
                "--store",
                store.toString(),
                "--nodes",
                "3",
                "--time-limit",
                "" + seconds,
                // A restarted container takes its JVM's start-up time to rejoin.
                "--recovery-wait",
                "45"));
    args.addAll(pacing);
    args.addAll(java.util.List.of(extra));
    Map<String, String> env =
        DockerPortShares.share(portShare)
            .map(share -> Map.of(HostPorts.RANGE_VARIABLE, share))
            .orElse(Map.of());
    // The first run builds the image, which takes minutes; later runs use Docker's cache.
    FaultlineJar.Result r = jar.run(root, 900, env, args.toArray(String[]::new));

    assertThat(r.code())
        .as("%s%nfault windows: %s", r.output(), faultWindows())
        .isEqualTo(expectedCode);
    assertThat(store.resolve("latest/nodes/n1/stdout.log"))
        .as("the node container's JVM flags")
        .content()
        .contains("-XX:TieredStopAtLevel=1");
    return JSON.readTree(store.resolve("latest").resolve("results.json").toFile());
  }
}
