package dev.faultline.testbed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline test --net toxiproxy} end to end against a {@code toxiproxy-server} this test
 * starts on a free loopback port: three local nodes whose peer links all go through proxies, with
 * partitions and latency; the run must be valid and the latency windows recorded. Skips when {@code
 * toxiproxy-server} is not on the PATH.
 */
class ToxiproxyTestCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path store;
  private Process server;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static Optional<Path> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Test
  void partitionsAndLatencyThroughToxiproxyAreValid() throws Exception {
    Optional<Path> toxiproxy = onPath("toxiproxy-server");
    assumeTrue(toxiproxy.isPresent(), "toxiproxy-server is not on the PATH");
    FaultlineJar jar = FaultlineJar.locate();
    Optional<String> unusable = jar.unusable();
    assumeTrue(unusable.isEmpty(), unusable.orElse(""));
    int port;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    server =
        new ProcessBuilder(
                List.of(toxiproxy.get().toString(), "-host", "127.0.0.1", "-port", "" + port))
            .redirectErrorStream(true)
            .redirectOutput(store.resolve("toxiproxy.log").toFile())
            .start();
    awaitListening(port, Duration.ofSeconds(20));

    var args =
        new ArrayList<>(
            List.of(
                "test",
                "--store",
                store.resolve("runs").toString(),
                "--nodes",
                "3",
                "--net",
                "toxiproxy",
                "--toxiproxy",
                "http://127.0.0.1:" + port,
                "--nemesis",
                "partition,latency",
                "--time-limit",
                "20",
                "--interval",
                "4",
                "--concurrency",
                "5",
                "--seed",
                "31"));
    FaultlineJar.Result r = jar.run(store, 240, args.toArray(String[]::new));

    assertThat(r.code()).as(r.output()).isZero();
    JsonNode results =
        JSON.readTree(store.resolve("runs").resolve("latest").resolve("results.json").toFile());
    assertThat(results.path("verdict").asText()).isEqualTo("valid");
    assertThat(results.path("network").asText()).contains("Toxiproxy");
    assertThat(results.path("faults").size()).isPositive();
  }

  private static void awaitListening(int port, Duration bound) {
    org.awaitility.Awaitility.await("toxiproxy-server listening on " + port)
        .atMost(bound)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> listening(port));
  }

  private static boolean listening(int port) {
    try (var socket = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException notYet) {
      return false;
    }
  }
}
