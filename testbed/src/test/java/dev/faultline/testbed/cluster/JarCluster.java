package dev.faultline.testbed.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Starts {@link ProcessCluster}s from the packaged jar on free loopback ports, for the ITs. */
final class JarCluster {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private JarCluster() {}

  static Path jar() {
    Path jar = Path.of(System.getProperty("faultline.jar", "target/faultline.jar"));
    assumeTrue(Files.isRegularFile(jar), "the packaged jar " + jar + " is needed (mvn verify)");
    return jar;
  }

  static List<String> command() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // The flags `faultline test` gives its nodes: the client compiler starts a node for a
        // fraction of the CPU the server compiler takes, and the ITs share two cores.
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xss512k",
        "-jar",
        jar().toString());
  }

  static int randomBase() {
    return 30_000 + ThreadLocalRandom.current().nextInt(250) * 100;
  }

  static ProcessCluster up(Path dir, Map<String, String> nodeOptions, List<String> bugs)
      throws IOException {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return ProcessCluster.up(
            ProcessCluster.Options.of(dir, 3, randomBase())
                .withCommand(command())
                .withNodeOptions(nodeOptions)
                .withBugs(bugs)
                .withReadyTimeout(Duration.ofSeconds(60)));
      } catch (IllegalStateException e) {
        // Free when checked, taken when a node bound it: the bases lie in the ephemeral range, so
        // another process's outgoing connection can take a port in between (CI saw "cannot
        // listen for gRPC on 127.0.0.1:46202"). Another base, as for a port found in use.
        String why = String.valueOf(e.getMessage());
        if (!why.contains("in use") && !why.contains("cannot listen for")) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  static JsonNode clusterJson(String http) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + http + "/v1/cluster"))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** A metric's value from a node's {@code /metrics}, or -1 when absent. */
  static double metric(String http, String name) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + http + "/metrics"))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    for (String line : r.body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }
}
