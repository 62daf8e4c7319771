package dev.faultline.testbed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.nemesis.net.NetworkSandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline test} end to end: the packaged jar runs a real three-node cluster in the network
 * sandbox, with real partitions and crashes. Short runs that must be valid, and a run with a
 * deliberate stale-read bug that must be found invalid. Runs in {@code mvn verify} (failsafe),
 * after the jar is packaged.
 */
class TestCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long RUN_BOUND_SECONDS = 240;

  private static final FaultlineJar JAR = FaultlineJar.locate();
  private static String skipReason;

  @TempDir Path store;

  @BeforeAll
  static void findJarAndNodeCommand() throws Exception {
    skipReason = whyNotRunnable();
  }

  /** Each test reports itself skipped, with the reason, when no real cluster can run here. */
  @BeforeEach
  void requireARealCluster() {
    assumeTrue(skipReason == null, skipReason);
  }

  private static String whyNotRunnable() throws Exception {
    Optional<String> jar = JAR.unusable();
    if (jar.isPresent()) {
      return jar.get() + ", so no real cluster can run";
    }
    Optional<String> sandbox = NetworkSandbox.unavailableReason();
    return sandbox.map(why -> "network sandbox unavailable: " + why).orElse(null);
  }

  private FaultlineJar.Result test(String... options) throws Exception {
    var args = new ArrayList<>(List.of("test", "--store", store.toString(), "--nodes", "3"));
    args.addAll(List.of(options));
    return JAR.run(store, RUN_BOUND_SECONDS, args.toArray(String[]::new));
  }

  private JsonNode latestResults() throws IOException {
    return JSON.readTree(store.resolve("latest").resolve("results.json").toFile());
  }

  @Test
  void partitionsAndCrashesOfACorrectClusterAreValid() throws Exception {
    FaultlineJar.Result r =
        test(
            "--nemesis",
            "partition,kill",
            "--time-limit",
            "20",
            "--interval",
            "4",
            "--concurrency",
            "5",
            "--seed",
            "11");

    assertThat(r.code()).as(r.output()).isZero();
    JsonNode results = latestResults();
    assertThat(results.path("verdict").asText()).isEqualTo("valid");
    assertThat(results.path("faults").size()).as(r.output()).isPositive();
    assertThat(results.path("network").asText()).startsWith("sandbox");
    assertThat(store.resolve("latest").resolve("nodes").resolve("n1")).isDirectory();
  }

  @Test
  void pausesOfACorrectClusterAreValid() throws Exception {
    FaultlineJar.Result r =
        test(
            "--nemesis",
            "pause",
            "--workload",
            "register",
            "--time-limit",
            "15",
            "--interval",
            "4",
            "--concurrency",
            "5",
            "--seed",
            "12");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(latestResults().path("verdict").asText()).isEqualTo("valid");
  }

  @Test
  void staleReadsUnderPartitionsAreFoundInvalid() throws Exception {
    // partition-leader cuts the current leader off in every window (at 10 s intervals, long enough
    // for the clients bound to the deposed leader to give up a write and read from it again); it
    // caught this bug in 10 of 10 runs of 60 s (docs/BUGS.md), where a random partition shape
    // isolates the leader only some of the time.
    FaultlineJar.Result r =
        test(
            "--bug",
            "stale-read",
            "--nemesis",
            "partition-leader",
            "--time-limit",
            "30",
            "--interval",
            "10",
            "--concurrency",
            "10",
            "--seed",
            "15");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    JsonNode results = latestResults();
    assertThat(results.path("verdict").asText()).isEqualTo("invalid");
    assertThat(results.path("bug").asText()).isEqualTo("stale-read");
  }
}
