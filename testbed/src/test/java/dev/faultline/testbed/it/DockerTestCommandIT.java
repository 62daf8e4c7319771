package dev.faultline.testbed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.nemesis.docker.DockerCluster;
import dev.faultline.nemesis.docker.HostPorts;
import dev.faultline.nemesis.docker.NodeImage;
import dev.faultline.testbed.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 *
 * <p>Both runs start together before the tests, which then wait for their own: left to the parallel
 * executor, the second run often started only when the first had ended, and the class (on which
 * ComposeClusterIT's turn with the engine waits) took the two runs' sum.
 */
@Order(1)
// Its two runs share the Docker engine with each other, not with ComposeClusterIT: three
// clusters of containers at once on two busy cores (load 84) took over 90 s to start a node.
@ResourceLock(value = DockerPortShares.ENGINE, mode = ResourceAccessMode.READ)
class DockerTestCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One run's exit code and output, and the store its run directory is in. */
  private record Run(FaultlineJar.Result result, Path store) {}

  @TempDir static Path stores;

  private static String skipReason;
  private static ExecutorService runner;
  private static CompletableFuture<Run> valid;
  private static CompletableFuture<Run> staleRead;

  @BeforeAll
  static void startBothRuns() throws Exception {
    skipReason = whyNotRunnable().orElse(null);
    if (skipReason != null) {
      return;
    }
    Path root = Path.of(System.getProperty("faultline.root", "..")).toAbsolutePath();
    // Built once for both: each run then finds the image (labelled with what it was built from)
    // instead of both sending the 80 MB context at once and building it twice.
    NodeImage.fromDockerfile(root).resolve().get();
    runner = Executors.newFixedThreadPool(2);
    valid =
        start(
            root,
            "valid",
            30,
            DockerPortShares.DOCKER_VALID,
            "--interval",
            "5",
            "--concurrency",
            "5",
            "--nemesis",
            "kill,partition,pause,latency",
            "--seed",
            "41");
    // 60 s: on a loaded machine 30 s of it (seed 43) found no stale read, and neither did 30 s with
    // TestCommandIT's pacing (twelve clients, seed 17's three windows of 6 s intervals).
    staleRead =
        start(
            root,
            "stale-read",
            60,
            DockerPortShares.DOCKER_STALE_READ,
            "--interval",
            "5",
            "--concurrency",
            "5",
            "--bug",
            "stale-read",
            "--nemesis",
            "partition-leader",
            "--seed",
            "43");
  }

  @AfterAll
  static void stopRunner() {
    if (runner != null) {
      runner.shutdownNow();
    }
  }

  @Test
  void crashesPausesPartitionsAndLatencyOfADockerClusterAreValid() throws Exception {
    JsonNode results = finished(valid, 0);
    assertThat(results.path("verdict").asText()).isEqualTo("valid");
    assertThat(results.path("network").asText()).startsWith("docker");
    assertThat(results.path("faults").size()).isPositive();
  }

  @Test
  void staleReadsUnderLeaderPartitionsOfADockerClusterAreInvalid() throws Exception {
    JsonNode results = finished(staleRead, 1);
    assertThat(results.path("verdict").asText()).isEqualTo("invalid");
    assertThat(results.path("network").asText()).startsWith("docker");
  }

  private static Optional<String> whyNotRunnable() throws Exception {
    // The socket is asked first: Testcontainers takes many seconds to conclude there is no engine.
    Optional<String> engine =
        DockerEngine.absence(System.getenv(), Path.of(System.getProperty("user.home")));
    if (engine.isPresent()) {
      return engine;
    }
    Optional<String> docker = DockerCluster.unavailableReason();
    if (docker.isPresent()) {
      return Optional.of("no Docker engine: " + docker.get());
    }
    return FaultlineJar.locate().unusable();
  }

  /**
   * Starts one run of {@code seconds} on three containers, publishing its ports from {@code
   * portShare} of {@link DockerPortShares}, in a store of its own.
   */
  private static CompletableFuture<Run> start(
      Path root, String name, int seconds, int portShare, String... extra) throws Exception {
    Path store = Files.createDirectories(stores.resolve(name));
    var args =
        new ArrayList<>(
            List.of(
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
    args.addAll(List.of(extra));
    Map<String, String> env =
        DockerPortShares.share(portShare)
            .map(share -> Map.of(HostPorts.RANGE_VARIABLE, share))
            .orElse(Map.of());
    FaultlineJar jar = FaultlineJar.locate();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new Run(jar.run(root, 900, env, args.toArray(String[]::new)), store);
          } catch (Exception e) {
            throw new IllegalStateException("faultline " + String.join(" ", args) + ": " + e, e);
          }
        },
        runner);
  }

  /** The run's results once it has ended with {@code expectedCode}, the CLI's exit code. */
  private static JsonNode finished(CompletableFuture<Run> run, int expectedCode) throws Exception {
    assumeTrue(skipReason == null, skipReason);
    Run r = run.get();
    assertThat(r.result().code()).as(r.result().output()).isEqualTo(expectedCode);
    assertThat(r.store().resolve("latest/nodes/n1/stdout.log"))
        .as("the node container's JVM flags")
        .content()
        .contains("-XX:TieredStopAtLevel=1");
    return JSON.readTree(r.store().resolve("latest").resolve("results.json").toFile());
  }
}
