package dev.faultline.workloads.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.api.http.KeyPath;
import dev.faultline.workloads.client.HttpConnection.Response;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link KvPort} over the node's plaintext HTTP API with one blocking keep-alive connection per
 * node: a request is one write and its answer one read on the calling thread. It keeps the rules of
 * the api module's HTTP client exactly (a follower's redirect is followed and its leader
 * remembered; no leader or an unreachable node is retried after a pause; a write whose attempt may
 * have applied it is retried only under its session and ends {@code info} if none succeeds; a read
 * that cannot be answered is {@code fail}), at a fraction of the CPU: {@code java.net.http} hands
 * every request through its own executor and selector threads, which cost a test run as much CPU as
 * the five nodes it drives.
 */
public final class HttpKvPort implements KvPort {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The api client's default retry rules: ten attempts, a 100 ms pause after no leader. */
  static final int MAX_ATTEMPTS = 10;

  static final Duration BACKOFF = Duration.ofMillis(100);

  private final List<String> endpoints;
  private final Map<String, String> nodeByEndpoint;
  private final Duration callTimeout;
  private final Duration totalTimeout;
  private final boolean sessions;
  private final long clientId;
  private final Map<String, HttpConnection> connections = new HashMap<>();
  private long seq;
  private int next;
  private String leader;

  /**
   * @param endpoints the nodes to try in order, as {@code host:port}
   * @param nodeByEndpoint {@code host:port} to node name, for naming the node that answered
   * @param callTimeout how long one attempt may take
   * @param totalTimeout how long a call with its retries may take
   * @param sessions whether writes carry a session (client id and sequence number), which lets a
   *     write whose outcome was unknown be retried: the store applies it at most once
   */
  public HttpKvPort(
      List<String> endpoints,
      Map<String, String> nodeByEndpoint,
      Duration callTimeout,
      Duration totalTimeout,
      boolean sessions) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no nodes to send requests to; pass at least one node");
    }
    this.endpoints = endpoints.stream().map(KvClientPort::hostPort).toList();
    this.nodeByEndpoint = Map.copyOf(nodeByEndpoint);
    this.callTimeout = callTimeout;
    this.totalTimeout = totalTimeout;
    this.sessions = sessions;
    SecureRandom random = new SecureRandom();
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    this.clientId = id;
  }

  private enum Kind {
    GET,
    PUT,
    DELETE,
    CAS;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private record Request(Kind kind, String key, byte[] body, long seq) {
    boolean read() {
      return kind == Kind.GET;
    }

    /** Whether repeating it after an unknown outcome cannot apply it twice. */
    boolean idempotentRetry() {
      return read() || seq != 0;
    }
  }

  /** What one attempt at one node produced. */
  private sealed interface Attempt {}

  private record Success(Completion completion) implements Attempt {}

  private record Redirect(String endpoint, String message) implements Attempt {}

  /** Certainly not applied; worth retrying elsewhere or later. */
  private record Retryable(String message) implements Attempt {}

  /** Certainly not applied; retrying will not help. */
  private record Rejected(String message) implements Attempt {}

  /** May have been applied. */
  private record Unknown(String message) implements Attempt {}

  @Override
  public Completion get(String key) {
    return run(new Request(Kind.GET, key, null, 0));
  }

  @Override
  public Completion put(String key, String value) {
    return run(new Request(Kind.PUT, key, utf8(value), session()));
  }

  @Override
  public Completion delete(String key) {
    return run(new Request(Kind.DELETE, key, null, session()));
  }

  @Override
  public Completion cas(String key, String expected, String value) {
    ObjectNode body = JSON.createObjectNode();
    if (expected == null) {
      body.putNull("expected");
    } else {
      body.put("expected_b64", Base64.getEncoder().encodeToString(utf8(expected)));
    }
    body.put("value_b64", Base64.getEncoder().encodeToString(utf8(value)));
    return run(new Request(Kind.CAS, key, utf8(body.toString()), session()));
  }

  private long session() {
    return sessions ? ++seq : 0;
  }

  /** The retry loop of the api module's client, over {@link #attempt}. */
  private Completion run(Request request) {
    long deadline = System.nanoTime() + totalTimeout.toNanos();
    boolean maybeApplied = false;
    String endpoint =
        leader != null ? leader : endpoints.get(Math.floorMod(next, endpoints.size()));
    String last = "no attempt made";
    String lastNode = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        last = "gave up after " + totalTimeout.toMillis() + " ms: " + last;
        break;
      }
      Duration timeout = Duration.ofNanos(Math.min(left, callTimeout.toNanos()));
      Attempt result = attempt(endpoint, request, timeout);
      lastNode = endpoint;
      if (result instanceof Success s) {
        leader = endpoint;
        return s.completion();
      }
      if (result instanceof Redirect r) {
        leader = r.endpoint();
        endpoint = r.endpoint();
        last = r.message();
        continue;
      }
      if (result instanceof Rejected r) {
        return failure(request, maybeApplied, r.message(), endpoint);
      }
      if (result instanceof Unknown u) {
        last = u.message();
        maybeApplied |= !request.read();
        if (!request.idempotentRetry()) {
          return Completion.info(
              KvClientPort.reason(
                  request.kind().word() + " outcome unknown at " + url(endpoint) + ": " + last),
              nodeOf(endpoint));
        }
      } else if (result instanceof Retryable r) {
        last = r.message();
      }
      if (endpoint.equals(leader)) {
        leader = null;
      }
      next++;
      endpoint = endpoints.get(Math.floorMod(next, endpoints.size()));
      long pause = Math.min(BACKOFF.toNanos(), deadline - System.nanoTime());
      if (pause > 0) {
        LockSupport.parkNanos(pause);
      }
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
    }
    return failure(request, maybeApplied, last, lastNode);
  }

  private Completion failure(Request request, boolean maybeApplied, String message, String node) {
    String name = node == null ? null : nodeOf(node);
    if (maybeApplied) {
      return Completion.info(
          KvClientPort.reason(
              request.kind().word()
                  + " outcome unknown (an earlier attempt may have applied it): "
                  + message),
          name);
    }
    return Completion.fail(
        KvClientPort.reason(request.kind().word() + " failed at " + url(node) + ": " + message),
        name);
  }

  private Attempt attempt(String endpoint, Request req, Duration timeout) {
    String path = "/v1/kv/" + KeyPath.encode(utf8(req.key()));
    String method;
    switch (req.kind()) {
      case GET -> method = "GET";
      case PUT -> method = "PUT";
      case DELETE -> method = "DELETE";
      default -> {
        method = "POST";
        path = path + "/cas";
      }
    }
    HttpConnection c = connections.computeIfAbsent(endpoint, this::connect);
    String session =
        req.seq() == 0
            ? null
            : "X-Client-Id: "
                + Long.toUnsignedString(clientId)
                + "\r\nX-Request-Seq: "
                + Long.toUnsignedString(req.seq())
                + "\r\n";
    Response r;
    try {
      r =
          c.exchange(
              method,
              path,
              req.kind() == Kind.CAS ? "application/json" : null,
              req.body(),
              session,
              timeout);
    } catch (HttpConnection.NotConnected e) {
      return new Retryable("cannot connect to " + url(endpoint) + ": " + e.getMessage());
    } catch (SocketTimeoutException e) {
      return new Unknown(
          "no answer from " + url(endpoint) + " within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return new Unknown("connection to " + url(endpoint) + " lost: " + e);
    }
    return interpret(endpoint, req, r);
  }

  private HttpConnection connect(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    return new HttpConnection(
        endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)), callTimeout);
  }

  /** The api client's reading of an answer, status by status. */
  private Attempt interpret(String endpoint, Request req, Response r) {
    int status = r.status();
    JsonNode body = status >= 300 ? json(r.body()) : null;
    String message =
        body == null ? "HTTP " + status : "HTTP " + status + ": " + body.path("error").asText();
    String node = nodeOf(endpoint);
    switch (status) {
      case 200, 204:
        return new Success(
            switch (req.kind()) {
              case GET -> Completion.ok(new String(r.body(), StandardCharsets.UTF_8), node);
              case CAS, PUT, DELETE -> Completion.ok(null, node);
            });
      case 307, 308:
        return r.location() == null
            ? new Retryable(message + " (redirect without Location)")
            : new Redirect(origin(r.location()), message);
      case 404:
        if (req.read() && body != null && body.has("found")) {
          return new Success(Completion.ok(null, node));
        }
        return new Rejected(message);
      case 409:
        if (req.kind() == Kind.CAS && body != null) {
          return new Success(Completion.fail(CAS_MISMATCH, node));
        }
        return new Rejected(message);
      case 400, 401, 403, 405, 413, 414, 431:
        return new Rejected(message);
      default:
        boolean unknown = body == null || !"failed".equals(body.path("outcome").asText());
        if (unknown && !req.read()) {
          return new Unknown(message);
        }
        return new Retryable(message);
    }
  }

  private static JsonNode json(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** {@code host:port} of a {@code Location}. */
  private static String origin(String location) {
    URI uri = URI.create(location);
    return KvClientPort.hostPort(uri.getRawAuthority());
  }

  private String nodeOf(String endpoint) {
    return nodeByEndpoint.getOrDefault(endpoint, endpoint);
  }

  private static String url(String endpoint) {
    return "http://" + endpoint;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    connections.values().forEach(HttpConnection::close);
    connections.clear();
  }
}
