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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code faultline test --net toxiproxy} end to end against a real {@code toxiproxy-server} this
 * test starts on a free loopback port: three local nodes whose peer links all go through proxies,
 * with partitions and latency, bandwidth and flaky faults; the runs must be valid, and a latency
 * fault on every link must show in the history: the median write completed inside its window takes
 * at least the toxic's latency less its jitter (a write commits only after a round trip over a peer
 * link). Skips when no {@code toxiproxy-server} is found: {@code FAULTLINE_TOXIPROXY_SERVER}, the
 * PATH, or the static build beside the project in {@code ../shared/tools/toxiproxy/}.
 */
@Order(3)
// Both runs put their proxies on the same fixed loopback ports (from 20101): one at a time.
@ResourceLock("local Toxiproxy proxy ports")
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

  /** The server binary: {@code FAULTLINE_TOXIPROXY_SERVER}, the PATH, or the shared build. */
  static Optional<Path> toxiproxyServer() {
    String configured = System.getenv("FAULTLINE_TOXIPROXY_SERVER");
    if (configured != null && Files.isExecutable(Path.of(configured))) {
      return Optional.of(Path.of(configured));
    }
    Optional<Path> onPath = onPath("toxiproxy-server");
    if (onPath.isPresent()) {
      return onPath;
    }
    Path root = Path.of(System.getProperty("faultline.root", "..")).toAbsolutePath().normalize();
    for (Path r = root; r != null; r = r.getParent()) {
      Path shared = r.resolveSibling("shared").resolve("tools/toxiproxy/toxiproxy-server");
      if (Files.isExecutable(shared)) {
        return Optional.of(shared);
      }
    }
    return Optional.empty();
  }

  private static final String NO_SERVER =
      "no toxiproxy-server (FAULTLINE_TOXIPROXY_SERVER, the PATH, ../shared/tools/toxiproxy/)";

  @Test
  void partitionsAndLatencyThroughToxiproxyAreValid() throws Exception {
    JsonNode results = run("partition,latency", 20, 4, 31);
    assertThat(results.path("faults").size()).isPositive();
  }

  @Test
  void latencyBandwidthAndFlakyFaultsActAndTheRunIsValid() throws Exception {
    JsonNode results = run("latency,bandwidth,flaky", 40, 5, 7);
    List<JsonNode> history = history();
    Set<String> started = new java.util.TreeSet<>();
    List<Long> windowLatencies = new ArrayList<>();
    long toxicMs = -1;
    int windowsWithOps = 0;
    for (int i = 0; i < history.size(); i++) {
      JsonNode op = history.get(i);
      if (!"nemesis".equals(op.path("process").asText())) {
        continue;
      }
      String f = op.path("f").asText();
      if (f.startsWith("stop-")) {
        assertThat(op.path("value").has("start-error")).as(op.toString()).isFalse();
        assertThat(op.path("value").has("stop-error")).as(op.toString()).isFalse();
      }
      if (!f.startsWith("start-")) {
        continue;
      }
      started.add(f);
      // A latency fault on all six links: every op (a write's replication, a read's ReadIndex
      // round) answered in its window crossed a slow link.
      if (f.equals("start-latency") && op.path("value").path("links").size() == 6) {
        long latency = op.path("value").path("latency-ms").asLong();
        long jitter = op.path("value").path("jitter-ms").asLong();
        Inside in = completedInside(history, i, "stop-latency");
        List<Long> inside = in.okMillis();
        if (!inside.isEmpty()) {
          // The toxics are placed one HTTP call at a time after the event; on a loaded machine
          // the first ops of the window may still pass unslowed, so the median must show it.
          List<Long> sorted = inside.stream().sorted().toList();
          assertThat(sorted.get(sorted.size() / 2))
              .as("median ms of the ops %s completed under %s", sorted, op)
              .isGreaterThanOrEqualTo(latency - jitter);
        }
        // Ops that all timed out show the latency acting just as well.
        if (inside.size() + in.unknown() > 0) {
          windowsWithOps++;
        }
        toxicMs = latency;
        windowLatencies.addAll(inside);
      }
    }
    assertThat(started).contains("start-latency", "start-bandwidth", "start-flaky");
    assertThat(toxicMs).as("a latency fault on every link in seed 7's schedule").isPositive();
    // A window too short for any op to start a second inside both ends proves nothing either way;
    // seed 7 has two, and on a machine so loaded that neither has an op, the run says nothing.
    assertThat(windowsWithOps).as("latency windows on every link with ops inside").isPositive();
    System.err.println(
        "ToxiproxyTestCommandIT: "
            + results.path("faults").size()
            + " faults; latency toxic "
            + toxicMs
            + " ms on every link, ops completed inside its window took "
            + windowLatencies.stream().mapToLong(Long::longValue).min().orElse(0)
            + ".."
            + windowLatencies.stream().mapToLong(Long::longValue).max().orElse(0)
            + " ms");
  }

  /**
   * Milliseconds each client op took that was invoked at least a second after the event at {@code
   * start} (the toxics are placed just after it is recorded) and at least a second before the next
   * {@code stop} event (which is recorded once the toxics are removed: ops of the last moments
   * before it crossed clean links), followed to their completion, and how many such ops ended with
   * an unknown outcome instead. Every op needs a quorum round (replication, or ReadIndex).
   */
  private static Inside completedInside(List<JsonNode> history, int start, String stop) {
    long from = history.get(start).path("time").asLong() + 1_000_000_000L;
    long until = Long.MAX_VALUE;
    for (int i = start + 1; i < history.size(); i++) {
      JsonNode op = history.get(i);
      if ("nemesis".equals(op.path("process").asText()) && stop.equals(op.path("f").asText())) {
        until = op.path("time").asLong() - 1_000_000_000L;
        break;
      }
    }
    Map<String, Long> invoked = new java.util.HashMap<>();
    List<Long> took = new ArrayList<>();
    int unknown = 0;
    boolean stopped = false;
    for (int i = start + 1; i < history.size(); i++) {
      JsonNode op = history.get(i);
      String process = op.path("process").asText();
      if ("nemesis".equals(process)) {
        stopped |= stop.equals(op.path("f").asText());
        continue;
      }
      if (stopped && invoked.isEmpty()) {
        break;
      }
      String type = op.path("type").asText();
      long time = op.path("time").asLong();
      if ("invoke".equals(type)) {
        // Only ops invoked well inside the window; they are followed past its end.
        if (!stopped && time >= from && time <= until) {
          invoked.put(process, time);
        }
      } else {
        Long at = invoked.remove(process);
        if ("ok".equals(type) && at != null) {
          took.add((time - at) / 1_000_000L);
        } else if ("info".equals(type) && at != null) {
          unknown++;
        }
      }
    }
    return new Inside(took, unknown);
  }

  /** The ops of a fault window: how long each acknowledged one took, and how many timed out. */
  private record Inside(List<Long> okMillis, int unknown) {}

  private List<JsonNode> history() throws Exception {
    Path latest = store.resolve("runs").resolve("latest");
    List<JsonNode> ops = new ArrayList<>();
    for (String line : Files.readAllLines(latest.resolve("history.jsonl"))) {
      if (!line.isBlank()) {
        ops.add(JSON.readTree(line));
      }
    }
    return ops;
  }

  private JsonNode run(String nemesis, int seconds, int interval, int seed) throws Exception {
    Optional<Path> toxiproxy = toxiproxyServer();
    assumeTrue(toxiproxy.isPresent(), NO_SERVER);
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
                nemesis,
                "--time-limit",
                "" + seconds,
                "--interval",
                "" + interval,
                "--concurrency",
                "5",
                "--seed",
                "" + seed));
    // A bound against a hung run, generous for a heavily loaded machine (see TestCommandIT).
    FaultlineJar.Result r = jar.run(store, 600 + seconds, args.toArray(String[]::new));

    assertThat(r.code()).as(r.output()).isZero();
    JsonNode results =
        JSON.readTree(store.resolve("runs").resolve("latest").resolve("results.json").toFile());
    assertThat(results.path("verdict").asText()).isEqualTo("valid");
    assertThat(results.path("network").asText()).contains("Toxiproxy");
    return results;
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
