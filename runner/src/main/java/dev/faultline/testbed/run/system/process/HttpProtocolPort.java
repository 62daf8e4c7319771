package dev.faultline.testbed.run.system.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.workloads.client.Completion;
import dev.faultline.workloads.client.KvPort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link KvPort} that speaks the HTTP KV protocol of docs/PROTOCOL.md to one node, as a Jepsen
 * client does: every request goes to the home node first, and a {@code 307} is followed for that
 * request only (never remembered), so a node that believes it leads keeps being asked. Outcomes:
 *
 * <ul>
 *   <li>{@code 2xx}, a {@code 404} read (absent key): {@code ok}; a {@code 409} compare-and-set:
 *       {@code fail} with {@link #CAS_MISMATCH};
 *   <li>no connection could be made (refused, or no answer to the connect within the timeout): the
 *       request was never sent, {@code fail};
 *   <li>an error reply: its {@code outcome} field decides ({@code failed} is {@code fail}, anything
 *       else {@code info}); without one, a 4xx is {@code fail} and a 5xx {@code info};
 *   <li>a timeout or a connection lost after sending: {@code info}.
 * </ul>
 */
final class HttpProtocolPort implements KvPort {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 3;

  private final HttpClient http;
  private final String home;
  private final Map<String, String> nodeByHostPort;
  private final Duration timeout;

  /**
   * @param home the node's {@code host:port}
   * @param nodeByHostPort {@code host:port} to node id, to name the node that answered
   */
  HttpProtocolPort(String home, Map<String, String> nodeByHostPort, Duration timeout) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.home = home;
    this.nodeByHostPort = Map.copyOf(nodeByHostPort);
    this.timeout = timeout;
  }

  @Override
  public Completion get(String key) {
    return call("GET", key, "", null, false);
  }

  @Override
  public Completion put(String key, String value) {
    return call("PUT", key, "", value, false);
  }

  @Override
  public Completion delete(String key) {
    return call("DELETE", key, "", null, false);
  }

  @Override
  public Completion cas(String key, String expected, String value) {
    ObjectNode body = JSON.createObjectNode();
    body.put("expected", expected);
    body.put("value", value);
    return call("POST", key, "/cas", body.toString(), true);
  }

  private Completion call(String method, String key, String suffix, String body, boolean cas) {
    URI uri =
        URI.create(
            "http://"
                + home
                + "/v1/kv/"
                + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20")
                + suffix);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      String node = nodeOf(uri);
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return hop == 0 || method.equals("GET")
            ? Completion.fail("timeout before sending", node)
            : Completion.fail("no time left to follow the redirect", node);
      }
      HttpRequest.Builder b =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofNanos(left))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (cas) {
        b.header("Content-Type", "application/json");
      }
      HttpResponse<String> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      } catch (HttpConnectTimeoutException | ConnectException e) {
        return Completion.fail("connect: " + message(e), node);
      } catch (HttpTimeoutException e) {
        return Completion.info("timeout", node);
      } catch (IOException e) {
        return Completion.info("connection lost: " + message(e), node);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Completion.info("interrupted", node);
      }
      int status = r.statusCode();
      if (status == 307 || status == 308) {
        String location = r.headers().firstValue("Location").orElse(null);
        if (location == null) {
          return Completion.fail("redirect without Location", node);
        }
        uri = uri.resolve(location);
        continue;
      }
      if (status / 100 == 2) {
        return Completion.ok(method.equals("GET") ? r.body() : null, node);
      }
      if (status == 404 && method.equals("GET") && !notFoundRoute(r.body())) {
        return Completion.ok(null, node);
      }
      if (status == 409 && cas) {
        return Completion.fail(CAS_MISMATCH, node);
      }
      return outcome(status, r.body(), node);
    }
    return Completion.fail("more than " + MAX_REDIRECTS + " redirects", nodeOf(uri));
  }

  /** A 404 that says the route does not exist (rather than the key): a broken node, not a read. */
  private static boolean notFoundRoute(String body) {
    JsonNode json = parse(body);
    return json != null && json.path("found").isMissingNode() && json.has("error")
        ? json.path("error").asText().contains("route")
        : false;
  }

  private static Completion outcome(int status, String body, String node) {
    JsonNode json = parse(body);
    String error = "http " + status;
    if (json != null && json.path("error").isTextual()) {
      error += ": " + json.path("error").asText();
    }
    error = error.length() <= 160 ? error : error.substring(0, 157) + "...";
    String outcome = json == null ? "" : json.path("outcome").asText("");
    boolean failed = outcome.isEmpty() ? status < 500 : outcome.equals("failed");
    return failed ? Completion.fail(error, node) : Completion.info(error, node);
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private String nodeOf(URI uri) {
    String hostPort = uri.getHost() + ":" + uri.getPort();
    return nodeByHostPort.getOrDefault(hostPort, hostPort);
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
