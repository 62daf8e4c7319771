package dev.faultline.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.api.FakeBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.metrics.NodeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Hostile or broken requests over a real socket: each gets a 4xx with the JSON error body and
 * {@code outcome: failed}, never a 5xx, and costs at most one log line, never a stack trace.
 */
class BadInputTest {

  static final Limits LIMITS =
      new Limits(1024, 1 << 20, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(2));

  final ObjectMapper json = new ObjectMapper();
  FakeBackend backend;
  NodeMetrics metrics;
  HttpApi api;
  int port;
  ListAppender<ILoggingEvent> logged;

  @BeforeEach
  void start() {
    backend = new FakeBackend("n1");
    metrics = new NodeMetrics();
    api = new HttpApi(backend, metrics, LIMITS);
    port = api.start("127.0.0.1", 0);
    logged = new ListAppender<>();
    logged.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logged);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logged);
    api.close();
    metrics.close();
  }

  /** Writes {@code head} and {@code body} verbatim, half-closes, and reads the whole answer. */
  RawResponse raw(String head, byte[] body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      return RawResponse.parse(in.readAllBytes());
    }
  }

  RawResponse request(String method, String target, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return raw(
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length
            + "\r\nConnection: close\r\n\r\n",
        bytes);
  }

  /** Asserts a 4xx answer with the JSON error body, outcome failed; returns the message. */
  String refused(RawResponse r, int status) throws IOException {
    String text = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(text).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
    JsonNode body = json.readTree(chunkedOrPlain(r, text));
    assertThat(body.path("outcome").asText()).isEqualTo("failed");
    assertThat(body.path("error").asText()).isNotBlank().doesNotContain("\n");
    return body.path("error").asText();
  }

  /** The body text, de-chunked when Jetty chose chunked transfer encoding. */
  static String chunkedOrPlain(RawResponse r, String text) {
    if (!r.headers().firstValue("Transfer-Encoding").orElse("").equalsIgnoreCase("chunked")) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = text.indexOf("\r\n", at);
      int size = Integer.parseInt(text.substring(at, eol).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(text, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  void assertNoStackTraces() {
    for (ILoggingEvent e : logged.list) {
      assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull();
      assertThat(e.getFormattedMessage()).doesNotContain("\n");
    }
  }

  @Test
  void casBodiesPastTheJsonParsersLimitsAreRefusedAs400() throws IOException {
    String deep = "[".repeat(1001);
    String longNumber = "{\"expected\": " + "1".repeat(1001) + ", \"value\": \"v\"}";
    String longName = "{\"" + "n".repeat(50_001) + "\": 1}";
    for (String body : List.of(deep, longNumber, longName)) {
      String message = refused(request("POST", "/v1/kv/k/cas", body), 400);
      assertThat(message).contains("cas body");
    }
    assertNoStackTraces();
  }

  @Test
  void malformedPercentEncodingInTheKeyIsRefusedAs400() throws IOException {
    assertThat(refused(request("PUT", "/v1/kv/%u002e", "v"), 400)).contains("percent-encoding");
    assertThat(refused(request("GET", "/v1/kv/%2?x=1", ""), 400)).contains("percent-encoding");
    assertThat(refused(request("POST", "/v1/kv/%zz/cas", "{}"), 400)).contains("percent-encoding");
    assertNoStackTraces();
  }

  @Test
  void aBadChunkSizeIsRefusedAs400() throws IOException {
    String head =
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    refused(raw(head, "zz\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)), 400);
    assertNoStackTraces();
  }

  @Test
  void aChunkedBodyWithoutItsTerminatorIsRefusedAs400() throws IOException {
    String head =
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    String message = refused(raw(head, "3\r\nabc\r\n".getBytes(StandardCharsets.ISO_8859_1)), 400);
    assertThat(message).contains("body");
    assertThat(backend.data()).isEmpty();
    assertNoStackTraces();
  }

  @Test
  void aBodyShorterThanItsContentLengthIsRefusedAs400() throws IOException {
    String head =
        "PUT /v1/kv/k HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nConnection: close\r\n\r\n";
    String message = refused(raw(head, "only ten b".getBytes(StandardCharsets.ISO_8859_1)), 400);
    assertThat(message).contains("body");
    assertThat(backend.data()).isEmpty();
    assertNoStackTraces();
  }

  @Test
  void refusalsLogOneLineEachAndAreRateLimited() throws IOException {
    for (int i = 0; i < 200; i++) {
      refused(request("POST", "/v1/kv/k/cas", "[".repeat(1001)), 400);
    }
    // The limit is per second and shared by the JVM, so earlier refusals may have spent this
    // second's lines: one more refusal in a later second must be logged.
    org.awaitility.Awaitility.await("a refusal logged once a new second begins")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              refused(request("POST", "/v1/kv/k/cas", "[".repeat(1001)), 400);
              return refusalLines() > 0;
            });
    assertNoStackTraces();
    assertThat(refusalLines()).isLessThan(200);
  }

  private long refusalLines() {
    return logged.list.stream().filter(e -> e.getFormattedMessage().contains("refused")).count();
  }
}
