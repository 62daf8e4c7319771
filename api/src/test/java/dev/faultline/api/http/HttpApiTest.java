package dev.faultline.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.api.FakeBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.metrics.NodeMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {

  static final Limits LIMITS =
      new Limits(64, 4096, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(2));

  final ObjectMapper json = new ObjectMapper();
  final HttpClient client = HttpClient.newHttpClient();
  FakeBackend backend;
  NodeMetrics metrics;
  HttpApi api;
  String base;

  @BeforeEach
  void start() {
    backend = new FakeBackend("n1");
    metrics = new NodeMetrics();
    api = new HttpApi(backend, metrics, LIMITS);
    base = "http://127.0.0.1:" + api.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    api.close();
    metrics.close();
  }

  HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> send(String method, String path, String body, String... headers)
      throws Exception {
    return send(method, path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /** Asserts the response is a JSON error body with the given status and outcome. */
  JsonNode error(HttpResponse<byte[]> r, int status, String outcome) throws IOException {
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    JsonNode body = json.readTree(r.body());
    assertThat(body.path("error").asText()).isNotBlank();
    assertThat(body.path("outcome").asText()).isEqualTo(outcome);
    return body;
  }

  @Test
  void putThenGetRoundTripsBinaryValue() throws Exception {
    byte[] value = new byte[256];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    assertThat(send("PUT", "/v1/kv/k1", value).statusCode()).isEqualTo(204);
    HttpResponse<byte[]> r = send("GET", "/v1/kv/k1", (byte[]) null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(r.body()).isEqualTo(value);
  }

  @Test
  void keysArePercentDecodedPathSegmentsAndBinarySafe() throws Exception {
    byte[][] keys = {
      "a/b".getBytes(StandardCharsets.UTF_8),
      "50%+x y".getBytes(StandardCharsets.UTF_8),
      "ключ".getBytes(StandardCharsets.UTF_8),
      ".".getBytes(StandardCharsets.UTF_8),
      "..".getBytes(StandardCharsets.UTF_8),
      {1, (byte) 0xff, 10, 13, '?', '#', ';'}
    };
    for (int i = 0; i < keys.length; i++) {
      String path = "/v1/kv/" + KeyPath.encode(keys[i]);
      assertThat(send("PUT", path, "v" + i).statusCode()).as(path).isEqualTo(204);
      assertThat(send("GET", path, (byte[]) null).body()).as(path).isEqualTo(("v" + i).getBytes());
    }
    assertThat(backend.data()).hasSize(keys.length);
    assertThat(backend.data())
        .containsKey(java.nio.ByteBuffer.wrap("50%+x y".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void getOfAbsentKeyIs404Json() throws Exception {
    JsonNode body = error(send("GET", "/v1/kv/nothing", (byte[]) null), 404, "failed");
    assertThat(body.path("found").asBoolean(true)).isFalse();
  }

  @Test
  void deleteRemovesTheKey() throws Exception {
    send("PUT", "/v1/kv/k", "v");
    assertThat(send("DELETE", "/v1/kv/k", (byte[]) null).statusCode()).isEqualTo(204);
    error(send("GET", "/v1/kv/k", (byte[]) null), 404, "failed");
    assertThat(send("DELETE", "/v1/kv/k", (byte[]) null).statusCode()).isEqualTo(204);
  }

  @Test
  void casSwapsWhenExpectedMatchesAndReports409WithCurrentOtherwise() throws Exception {
    HttpResponse<byte[]> created =
        send("POST", "/v1/kv/c/cas", "{\"expected\": null, \"value\": \"one\"}");
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(json.readTree(created.body()).path("swapped").asBoolean()).isTrue();

    JsonNode mismatch =
        error(
            send("POST", "/v1/kv/c/cas", "{\"expected\": \"zero\", \"value\": \"two\"}"),
            409,
            "failed");
    assertThat(mismatch.path("current").asText()).isEqualTo("one");

    HttpResponse<byte[]> swapped =
        send("POST", "/v1/kv/c/cas", "{\"expected\": \"one\", \"value\": \"two\"}");
    assertThat(swapped.statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v1/kv/c", (byte[]) null).body()).isEqualTo("two".getBytes());

    JsonNode absent =
        error(
            send("POST", "/v1/kv/nokey/cas", "{\"expected\": \"x\", \"value\": \"y\"}"),
            409,
            "failed");
    assertThat(absent.get("current").isNull()).isTrue();
  }

  @Test
  void casAcceptsBase64ForBinaryValues() throws Exception {
    send("PUT", "/v1/kv/b", new byte[] {0, (byte) 0xfe});
    HttpResponse<byte[]> r =
        send("POST", "/v1/kv/b/cas", "{\"expected_b64\": \"AP4=\", \"value_b64\": \"/wA=\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v1/kv/b", (byte[]) null).body())
        .isEqualTo(new byte[] {(byte) 0xff, 0});
  }

  @Test
  void badCasBodiesAre400WithJson() throws Exception {
    String[] bodies = {
      "{\"expected\": null, \"value\": ",
      "not json",
      "[1, 2]",
      "{\"value\": \"v\"}",
      "{\"expected\": null}",
      "{\"expected\": 3, \"value\": \"v\"}",
      "{\"expected\": null, \"value\": \"v\", \"extra\": 1}",
      "{\"expected\": null, \"value_b64\": \"***\"}",
      ""
    };
    for (String body : bodies) {
      error(send("POST", "/v1/kv/k/cas", body), 400, "failed");
    }
    assertThat(backend.calls.get()).isZero();
  }

  @Test
  void emptyKeyIs400() throws Exception {
    error(send("PUT", "/v1/kv/", "v"), 400, "failed");
    error(send("GET", "/v1/kv/", (byte[]) null), 400, "failed");
    error(send("DELETE", "/v1/kv/", (byte[]) null), 400, "failed");
    error(send("POST", "/v1/kv//cas", "{\"expected\":null,\"value\":\"v\"}"), 400, "failed");
  }

  @Test
  void oversizeKeyIs400() throws Exception {
    String key = "k".repeat(LIMITS.maxKeyBytes() + 1);
    error(send("PUT", "/v1/kv/" + key, "v"), 400, "failed");
    assertThat(send("PUT", "/v1/kv/" + key.substring(1), "v").statusCode()).isEqualTo(204);
  }

  @Test
  void invalidPercentEncodingIs400() throws Exception {
    // Jetty refuses a NUL byte anywhere in a path, so %00 cannot appear in an HTTP key.
    for (String raw : new String[] {"a%ZZ", "a%2", "a%", "a%00b"}) {
      error(rawRequest("GET /v1/kv/" + raw + " HTTP/1.1"), 400, "failed");
    }
  }

  @Test
  void oversizeValueIs413WithoutReadingIt() throws Exception {
    error(send("PUT", "/v1/kv/k", new byte[LIMITS.maxValueBytes() + 1]), 413, "failed");
    assertThat(send("PUT", "/v1/kv/k", new byte[LIMITS.maxValueBytes()]).statusCode())
        .isEqualTo(204);
  }

  @Test
  void oversizeChunkedValueIs413() throws Exception {
    byte[] big = new byte[LIMITS.maxValueBytes() + 10];
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base + "/v1/kv/chunked"))
            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .build();
    error(client.send(req, HttpResponse.BodyHandlers.ofByteArray()), 413, "failed");
    assertThat(backend.calls.get()).isZero();
  }

  @Test
  void wrongMethodIs405Json() throws Exception {
    assertThat(error(send("POST", "/v1/kv/k", "v"), 405, "failed").path("error").asText())
        .contains("POST");
    error(send("PATCH", "/v1/kv/k", "v"), 405, "failed");
    error(send("GET", "/v1/kv/k/cas", (byte[]) null), 405, "failed");
    error(send("DELETE", "/v1/cluster", (byte[]) null), 405, "failed");
  }

  @Test
  void unknownRouteIs404Json() throws Exception {
    error(send("GET", "/v2/kv/k", (byte[]) null), 404, "failed");
    error(send("GET", "/v1/kv/a/b/c", (byte[]) null), 404, "failed");
    error(send("GET", "/", (byte[]) null), 404, "failed");
  }

  @Test
  void badSessionHeadersAre400() throws Exception {
    error(send("PUT", "/v1/kv/k", "v", "X-Client-Id", "7"), 400, "failed");
    error(
        send("PUT", "/v1/kv/k", "v", "X-Client-Id", "seven", "X-Request-Seq", "1"), 400, "failed");
    error(send("PUT", "/v1/kv/k", "v", "X-Client-Id", "-1", "X-Request-Seq", "1"), 400, "failed");
  }

  @Test
  void writesWithTheSameSessionAreAppliedOnce() throws Exception {
    String[] session = {"X-Client-Id", "18446744073709551615", "X-Request-Seq", "1"};
    assertThat(send("PUT", "/v1/kv/s", "a", session).statusCode()).isEqualTo(204);
    assertThat(send("PUT", "/v1/kv/s", "a", session).statusCode()).isEqualTo(204);
    assertThat(backend.writesApplied.get()).isEqualTo(1);
  }

  @Test
  void followerRedirectsToTheSameRequestOnTheLeader() throws Exception {
    backend.follow(new NodeAddress("n2", "10.0.0.2:7070", "10.0.0.2:8080", "10.0.0.2:9090"));
    HttpResponse<byte[]> r = send("PUT", "/v1/kv/a%2Fb?x=1&y=%20", "v");
    error(r, 307, "failed");
    assertThat(r.headers().firstValue("Location"))
        .hasValue("http://10.0.0.2:8080/v1/kv/a%2Fb?x=1&y=%20");
    HttpResponse<byte[]> cas = send("POST", "/v1/kv/k/cas", "{\"expected\":null,\"value\":\"v\"}");
    assertThat(cas.statusCode()).isEqualTo(307);
    assertThat(cas.headers().firstValue("Location")).hasValue("http://10.0.0.2:8080/v1/kv/k/cas");
  }

  @Test
  void noLeaderIs503WithRetryAfter() throws Exception {
    backend.mode(FakeBackend.Mode.NO_LEADER);
    HttpResponse<byte[]> r = send("GET", "/v1/kv/k", (byte[]) null);
    error(r, 503, "failed");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
    HttpResponse<byte[]> ready = send("GET", "/readyz", (byte[]) null);
    error(ready, 503, "failed");
    assertThat(ready.headers().firstValue("Retry-After")).isPresent();
    backend.follow(null);
    error(send("PUT", "/v1/kv/k", "v"), 503, "failed");
  }

  @Test
  void unknownOutcomeIs504() throws Exception {
    backend.mode(FakeBackend.Mode.UNKNOWN_AFTER_APPLY);
    error(send("PUT", "/v1/kv/k", "v"), 504, "unknown");
    error(send("POST", "/v1/kv/k/cas", "{\"expected\":\"v\",\"value\":\"w\"}"), 504, "unknown");
  }

  @Test
  void backendThatNeverAnswersTimesOutAs504() throws Exception {
    backend.mode(FakeBackend.Mode.NEVER_ANSWERS);
    Limits quick = new Limits(64, 4096, 1 << 20, Duration.ofMillis(200), Duration.ofSeconds(1));
    try (HttpApi slow = new HttpApi(backend, metrics, quick)) {
      base = "http://127.0.0.1:" + slow.start("127.0.0.1", 0);
      error(send("PUT", "/v1/kv/k", "v"), 504, "unknown");
      error(send("GET", "/v1/kv/k", (byte[]) null), 504, "failed");
    }
  }

  @Test
  void clusterHealthReadinessAndOpenApiAnswer() throws Exception {
    JsonNode cluster = json.readTree(send("GET", "/v1/cluster", (byte[]) null).body());
    assertThat(cluster.path("nodeId").asText()).isEqualTo("n1");
    assertThat(cluster.path("leaderId").asText()).isEqualTo("n1");
    assertThat(cluster.path("members").get(0).path("appliedIndex").asLong()).isEqualTo(7);
    assertThat(send("GET", "/healthz", (byte[]) null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/readyz", (byte[]) null).statusCode()).isEqualTo(200);
    JsonNode openApi = json.readTree(send("GET", "/openapi.json", (byte[]) null).body());
    assertThat(openApi.path("openapi").asText()).startsWith("3.");
    assertThat(openApi.path("paths").has("/v1/kv/{key}/cas")).isTrue();
  }

  @Test
  void healthAndReadinessFailOnceTheRaftLoopHasStopped() throws Exception {
    backend.fail("node n1 lost acknowledged log entries: replace it");
    JsonNode health = error(send("GET", "/healthz", (byte[]) null), 503, "failed");
    assertThat(health.path("status").asText()).isEqualTo("failed");
    assertThat(health.path("error").asText()).contains("node stopped", "lost acknowledged");
  }

  @Test
  void metricsExposeOperationAndRequestFamilies() throws Exception {
    send("PUT", "/v1/kv/m", "v");
    send("GET", "/v1/kv/m", (byte[]) null);
    send("GET", "/nowhere", (byte[]) null);
    metrics.raft().term(4);
    String text = new String(send("GET", "/metrics", (byte[]) null).body(), StandardCharsets.UTF_8);
    assertThat(text)
        .contains("kv_operations_total{op=\"put\",outcome=\"ok\"} 1.0")
        .contains("kv_operations_latency_seconds_bucket{op=\"get\"")
        .contains("requests_total{method=\"PUT\",route=\"/v1/kv/{key}\",status=\"204\"} 1.0")
        .contains("requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1.0")
        .contains("requests_seconds_bucket{method=\"GET\",route=\"/v1/kv/{key}\"")
        .contains("kv_request_stage_seconds_count{op=\"put\",protocol=\"http\",stage=\"in\"} 1")
        .contains("kv_request_stage_seconds_count{op=\"get\",protocol=\"http\",stage=\"out\"} 1")
        .contains("raft_answer_handoff_seconds_count{kind=\"read\",to=\"reply-pool\"} 0")
        .contains("raft_term 4.0")
        .contains("jvm_memory_used_bytes")
        .contains("jvm_threads_live_threads");
  }

  /** Sends a request line verbatim (java.net.http refuses malformed URIs before sending). */
  HttpResponse<byte[]> rawRequest(String requestLine) throws IOException {
    URI uri = URI.create(base);
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          (requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      return RawResponse.parse(in.readAllBytes());
    }
  }
}
