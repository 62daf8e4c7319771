package dev.faultline.testbed.run.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Small JSON requests with a short timeout, for probing nodes; empty when there is no answer. */
public final class JsonHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;

  public JsonHttp(Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
  }

  /** {@code GET url}: the body of a 2xx answer as JSON. */
  public Optional<JsonNode> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build());
  }

  /** {@code POST url} with a JSON body: the body of a 2xx answer as JSON. */
  public Optional<JsonNode> post(String url, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private Optional<JsonNode> send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        return Optional.empty();
      }
      return Optional.ofNullable(JSON.readTree(r.body()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
