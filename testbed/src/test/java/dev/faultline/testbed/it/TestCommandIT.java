package dev.faultline.testbed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.nemesis.net.NetworkSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

  private static Path jar;
  private static String skipReason;

  @TempDir Path store;

  /** Exit code and output of one command. */
  record Result(int code, String output) {}

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
    jar =
        Path.of(
            System.getProperty(
                "faultline.jar",
                Path.of(System.getProperty("basedir", "."), "target", "faultline.jar").toString()));
    if (!Files.isRegularFile(jar)) {
      return "no jar at " + jar + ": run mvn verify (the jar is made in package)";
    }
    Result help = run(Path.of("."), 60, "node", "--help");
    // Picocli prints the root's usage for an unknown subcommand with --help, so check whose it is.
    if (help.code() != 0 || !help.output().contains("Usage: faultline node")) {
      return "'faultline node' is not in this build (node --help exited "
          + help.code()
          + " without its usage), so no real cluster can run";
    }
    Optional<String> sandbox = NetworkSandbox.unavailableReason();
    return sandbox.map(why -> "network sandbox unavailable: " + why).orElse(null);
  }

  private static Result run(Path dir, long boundSeconds, String... args) throws Exception {
    var argv = new ArrayList<>(List.of(javaBinary(), "-jar", jar.toString()));
    argv.addAll(List.of(args));
    Path log = Files.createTempFile("faultline-it", ".log");
    try {
      Process p =
          new ProcessBuilder(argv)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(boundSeconds, TimeUnit.SECONDS)) {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        throw new AssertionError(
            "faultline "
                + String.join(" ", args)
                + " ran over "
                + boundSeconds
                + " s:\n"
                + tail(log));
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private Result test(String... options) throws Exception {
    var args = new ArrayList<>(List.of("test", "--store", store.toString(), "--nodes", "3"));
    args.addAll(List.of(options));
    return run(store, RUN_BOUND_SECONDS, args.toArray(String[]::new));
  }

  private JsonNode latestResults() throws IOException {
    return JSON.readTree(store.resolve("latest").resolve("results.json").toFile());
  }

  @Test
  void partitionsAndCrashesOfACorrectClusterAreValid() throws Exception {
    Result r =
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
    Result r =
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
    Result r =
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
