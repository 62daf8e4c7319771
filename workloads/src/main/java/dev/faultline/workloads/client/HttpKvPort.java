package dev.faultline.workloads.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link KvPort} over a node's HTTP API ({@code /v1/kv/{key}}), with a timeout per request. It
 * addresses its home node first and follows a follower's 307 to the leader.
 *
 * <p>Outcomes follow the API's contract: 2xx is {@code ok}; 409 on compare-and-set is a mismatch;
 * 503 (no leader) and other 4xx are {@code fail}; 504 is {@code info}; any other 5xx is whatever
 * the error body's {@code outcome} says, {@code info} when it says nothing. A refused connection or
 * a connect timeout never sent the request, so it is {@code fail}; a request timeout or a
 * connection lost after sending is {@code info}.
 */
public final class HttpKvPort implements KvPort {
  private static final int MAX_REDIRECTS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Map<String, URI> nodes;
  private final String home;
  private final Duration timeout;

  /**
   * @param http a shared client (connection pooling is per client)
   * @param nodes node name to base URI, e.g. {@code n1 -> http://10.0.0.1:8080}
   * @param home the node this port sends to first
   * @param timeout how long one request may take before its outcome is unknown
   */
  public HttpKvPort(HttpClient http, Map<String, URI> nodes, String home, Duration timeout) {
    if (!nodes.containsKey(home)) {
      throw new IllegalArgumentException("home node " + home + " is not one of " + nodes.keySet());
    }
    this.http = http;
    this.nodes = Map.copyOf(nodes);
    this.home = home;
    this.timeout = timeout;
  }

  /**
   * Opens clients that spread processes over the nodes round-robin (process {@code p} talks to node
   * {@code p mod n} first), sharing one HTTP client.
   */
  public static ClientFactory factory(Map<String, URI> nodes, Duration timeout) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no nodes to send requests to; pass at least one node");
    }
    Map<String, URI> ordered = new LinkedHashMap<>(nodes);
    List<String> names = new ArrayList<>(ordered.keySet());
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    return process -> {
      String home = names.get((int) Math.floorMod(process, (long) names.size()));
      return new PortClient(new HttpKvPort(http, ordered, home, timeout));
    };
  }

  @Override
  public Completion get(String key) {
    return send("GET", path(key), null, Verb.GET);
  }

  @Override
  public Completion put(String key, String value) {
    return send("PUT", path(key), value.getBytes(StandardCharsets.UTF_8), Verb.PUT);
  }

  @Override
  public Completion cas(String key, String expected, String value) {
    ObjectNode body = JSON.createObjectNode();
    if (expected == null) {
      body.putNull("expected");
    } else {
      body.put("expected", expected);
    }
    body.put("value", value);
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return send("POST", path(key) + "/cas", bytes, Verb.CAS);
  }

  private enum Verb {
    GET,
    PUT,
    CAS
  }

  private static String path(String key) {
    return "/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Completion send(String method, String path, byte[] body, Verb verb) {
    URI uri = nodes.get(home).resolve(path);
    String node = home;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        b.header(
            "Content-Type", verb == Verb.CAS ? "application/json" : "application/octet-stream");
      }
      HttpResponse<byte[]> response;
      try {
        response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (HttpConnectTimeoutException e) {
        return Completion.fail("connect-timeout", node);
      } catch (HttpTimeoutException e) {
        return Completion.info("timeout", node);
      } catch (ConnectException e) {
        return Completion.fail("connect-refused", node);
      } catch (IOException e) {
        return Completion.info("connection-lost", node);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Completion.info("interrupted", node);
      }
      int status = response.statusCode();
      if (status == 307 || status == 308) {
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) {
          return Completion.fail("redirect-without-location", node);
        }
        uri = uri.resolve(location);
        node = nodeAt(uri);
        continue;
      }
      return classify(verb, status, response.body(), node);
    }
    // Every hop was a redirect: no node accepted the request, so it did not happen.
    return Completion.fail("too-many-redirects", node);
  }

  static Completion classify(Verb verb, int status, byte[] body, String node) {
    if (status == 200 || status == 204) {
      if (verb == Verb.GET) {
        return Completion.ok(new String(body, StandardCharsets.UTF_8), node);
      }
      if (verb == Verb.CAS && status == 200 && !swapped(body)) {
        return Completion.fail(CAS_MISMATCH, node);
      }
      return Completion.ok(null, node);
    }
    if (verb == Verb.GET && status == 404) {
      return Completion.ok(null, node);
    }
    if (verb == Verb.CAS && status == 409) {
      return Completion.fail(CAS_MISMATCH, node);
    }
    if (status == 503) {
      return Completion.fail("no-leader", node);
    }
    if (status == 504) {
      return Completion.info("http-504", node);
    }
    String outcome = outcome(body);
    String error = "http-" + status;
    if ("failed".equals(outcome)) {
      return Completion.fail(error, node);
    }
    if ("unknown".equals(outcome) || status >= 500) {
      return Completion.info(error, node);
    }
    return Completion.fail(error, node);
  }

  private static boolean swapped(byte[] body) {
    try {
      return JSON.readTree(body).path("swapped").asBoolean(true);
    } catch (IOException e) {
      return true;
    }
  }

  private static String outcome(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n == null ? null : n.path("outcome").asText(null);
    } catch (IOException e) {
      return null;
    }
  }

  private String nodeAt(URI uri) {
    for (Map.Entry<String, URI> e : nodes.entrySet()) {
      URI base = e.getValue();
      if (base.getHost().equalsIgnoreCase(uri.getHost()) && base.getPort() == uri.getPort()) {
        return e.getKey();
      }
    }
    return uri.getAuthority();
  }
}
