package dev.faultline.testbed.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.net.NodeAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks a node which node leads through its HTTP API ({@code GET /v1/cluster}, field {@code
 * leaderId}), with a short timeout so a paused or partitioned node answers "unknown" quickly.
 */
public final class HttpLeaderProbe implements LeaderProbe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final int port;
  private final Duration timeout;

  public HttpLeaderProbe(int port, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.port = port;
    this.timeout = timeout;
  }

  @Override
  public Optional<String> leaderSeenBy(NodeAddress node) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + node.hostPort(port) + "/v1/cluster"))
            .timeout(timeout)
            .GET()
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return Optional.empty();
    }
    JsonNode leader = JSON.readTree(response.body()).path("leaderId");
    return leader.isTextual() && !leader.asText().isBlank()
        ? Optional.of(leader.asText())
        : Optional.empty();
  }

  /** Whether the node answers {@code GET /readyz} with 200 (it knows a leader). */
  public boolean ready(NodeAddress node) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://" + node.hostPort(port) + "/readyz"))
              .timeout(timeout)
              .GET()
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
