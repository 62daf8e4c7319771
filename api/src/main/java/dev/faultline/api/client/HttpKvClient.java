package dev.faultline.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.api.CasOutcome;
import dev.faultline.api.http.KeyPath;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** {@link KvClient} over the HTTP API, with {@code java.net.http}; redirects are followed here. */
final class HttpKvClient extends RetryingClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;

  HttpKvClient(KvClientOptions options) {
    this(
        new Shared(
            options,
            options.endpoints().stream()
                .map(e -> base(e, options.tls() == null ? "http" : "https"))
                .toList()),
        options.callTimeout(),
        client(options));
  }

  private static HttpClient client(KvClientOptions options) {
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(options.callTimeout());
    if (options.tls() != null) {
      b.sslContext(options.tls().sslContext());
    }
    return b.build();
  }

  private HttpKvClient(Shared shared, Duration callTimeout, HttpClient http) {
    super(shared, callTimeout);
    this.http = http;
  }

  @Override
  public KvClient withCallTimeout(Duration timeout) {
    return new HttpKvClient(shared, timeout, http);
  }

  static String base(String endpoint) {
    return base(endpoint, "http");
  }

  static String base(String endpoint, String scheme) {
    String e =
        endpoint.startsWith("http://") || endpoint.startsWith("https://")
            ? endpoint
            : scheme + "://" + endpoint;
    return e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
  }

  @Override
  Attempt attempt(String endpoint, Request req, Duration timeout) {
    String path = "/v1/kv/" + KeyPath.encode(req.key());
    HttpRequest.Builder b = HttpRequest.newBuilder().timeout(timeout);
    switch (req.kind()) {
      case PUT ->
          b.uri(URI.create(endpoint + path))
              .PUT(HttpRequest.BodyPublishers.ofByteArray(req.value()));
      case GET -> b.uri(URI.create(endpoint + path)).GET();
      case DELETE -> b.uri(URI.create(endpoint + path)).DELETE();
      case CAS -> {
        ObjectNode body = JSON.createObjectNode();
        if (req.expected() == null) {
          body.putNull("expected");
        } else {
          body.put("expected_b64", Base64.getEncoder().encodeToString(req.expected()));
        }
        body.put("value_b64", Base64.getEncoder().encodeToString(req.value()));
        b.uri(URI.create(endpoint + path + "/cas"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
      }
    }
    if (shared.options.token() != null) {
      b.header("Authorization", "Bearer " + shared.options.token());
    }
    if (req.session().present()) {
      b.header("X-Client-Id", Long.toUnsignedString(req.session().clientId()));
      b.header("X-Request-Seq", Long.toUnsignedString(req.session().seq()));
    }
    HttpResponse<byte[]> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      return new Attempt.Retryable("cannot connect to " + endpoint + ": " + e);
    } catch (HttpTimeoutException e) {
      return new Attempt.Unknown(
          "no answer from " + endpoint + " within " + timeout.toMillis() + " ms");
    } catch (javax.net.ssl.SSLHandshakeException e) {
      // The handshake failed before the request was sent: nothing happened.
      return new Attempt.Rejected("TLS handshake with " + endpoint + " failed: " + e.getMessage());
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException) {
        return new Attempt.Retryable("cannot connect to " + endpoint + ": " + e.getCause());
      }
      return new Attempt.Unknown("connection to " + endpoint + " lost: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt.Unknown("interrupted while waiting for " + endpoint);
    }
    return interpret(endpoint, req, r);
  }

  private static Attempt interpret(String endpoint, Request req, HttpResponse<byte[]> r) {
    int status = r.statusCode();
    JsonNode body = status >= 300 ? json(r.body()) : null;
    String message =
        body == null ? "HTTP " + status : "HTTP " + status + ": " + body.path("error").asText();
    switch (status) {
      case 200, 204:
        return new Attempt.Success(
            switch (req.kind()) {
              case GET -> Optional.of(r.body());
              case CAS -> CasOutcome.SWAPPED;
              case PUT, DELETE -> null;
            });
      case 307, 308:
        return r.headers()
            .firstValue("Location")
            .<Attempt>map(loc -> new Attempt.Redirect(origin(loc), message))
            .orElse(new Attempt.Retryable(message + " (redirect without Location)"));
      case 404:
        if (req.read() && body != null && body.has("found")) {
          return new Attempt.Success(Optional.empty());
        }
        return new Attempt.Rejected(message);
      case 409:
        if (req.kind() == Request.Kind.CAS && body != null) {
          JsonNode b64 = body.get("current_b64");
          byte[] current =
              b64 != null && b64.isTextual()
                  ? Base64.getDecoder().decode(b64.asText())
                  : body.path("current").isTextual()
                      ? body.path("current").asText().getBytes(StandardCharsets.UTF_8)
                      : null;
          return new Attempt.Success(CasOutcome.mismatch(current));
        }
        return new Attempt.Rejected(message);
      case 400, 401, 403, 405, 413, 414, 431:
        return new Attempt.Rejected(message);
      default:
        boolean unknown = body == null || !"failed".equals(body.path("outcome").asText());
        if (unknown && !req.read()) {
          return new Attempt.Unknown(message);
        }
        return new Attempt.Retryable(message);
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

  private static String origin(String location) {
    URI uri = URI.create(location);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  @Override
  public void close() {
    // java.net.http.HttpClient releases its connections when collected (close() is JDK 21+).
  }
}
