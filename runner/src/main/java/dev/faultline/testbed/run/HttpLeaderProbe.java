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
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Asks a node which node leads through its HTTP API ({@code GET /v1/cluster}, field {@code
 * leaderId}), over HTTP or HTTPS, with a short timeout so a paused or partitioned node answers
 * "unknown" quickly.
 */
public final class HttpLeaderProbe implements LeaderProbe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Function<NodeAddress, String> endpoint;
  private final Duration timeout;
  private final String scheme;
  private final Optional<String> token;

  public HttpLeaderProbe(int port, Duration timeout) {
    this(port, timeout, Optional.empty(), Optional.empty());
  }

  /**
   * A probe over HTTPS when {@code tls} is present (verifying the nodes against it), sending {@code
   * token} as a bearer token when present ({@code GET /v1/cluster} needs the {@code read} role).
   */
  public HttpLeaderProbe(
      int port, Duration timeout, Optional<SSLContext> tls, Optional<String> token) {
    this(a -> a.hostPort(port), timeout, tls, token);
  }

  /** A probe that reaches node {@code a} at {@code endpoint.apply(a)} ({@code host:port}). */
  public HttpLeaderProbe(
      Function<NodeAddress, String> endpoint,
      Duration timeout,
      Optional<SSLContext> tls,
      Optional<String> token) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout);
    tls.ifPresent(b::sslContext);
    this.http = b.build();
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.scheme = tls.isPresent() ? "https" : "http";
    this.token = token;
  }

  private HttpRequest get(NodeAddress node, String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(scheme + "://" + endpoint.apply(node) + path))
            .timeout(timeout)
            .GET();
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b.build();
  }

  @Override
  public Optional<String> leaderSeenBy(NodeAddress node) throws Exception {
    HttpResponse<String> response =
        http.send(get(node, "/v1/cluster"), HttpResponse.BodyHandlers.ofString());
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
      return http.send(get(node, "/readyz"), HttpResponse.BodyHandlers.discarding()).statusCode()
          == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
