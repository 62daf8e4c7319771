package dev.faultline.testbed.run.system.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.histories.OpType;
import dev.faultline.workloads.client.Completion;
import dev.faultline.workloads.client.KvPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each answer of the protocol becomes ok, fail or info as docs/PROTOCOL.md says. */
class HttpProtocolPortTest {
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  /** A node on loopback that answers every request with {@code status} and {@code body}. */
  private String node(String name, int status, String body, Map<String, String> headers)
      throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/",
        exchange -> {
          seen.add(name + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
          exchange.getRequestBody().readAllBytes();
          headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          respond(exchange, status, body);
        });
    s.start();
    servers.add(s);
    return "127.0.0.1:" + s.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  /**
   * A port whose servers answer: a timeout far above any answer's time, so that a busy machine (a
   * first request took over 800 ms at load 25) cannot turn an answer into a timeout.
   */
  private static KvPort port(String home) {
    return port(home, Duration.ofSeconds(10));
  }

  private static KvPort port(String home, Duration timeout) {
    return new HttpProtocolPort(home, Map.of(home, "n1"), timeout);
  }

  @AfterEach
  void stop() {
    release.countDown();
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void aRedirectIsFollowedForThatRequestOnlyNeverRemembered() throws Exception {
    String primary = node("primary", 204, "", Map.of());
    String follower =
        node(
            "follower",
            307,
            "{\"error\":\"not the primary\",\"outcome\":\"failed\"}",
            Map.of("Location", "http://" + primary + "/v1/kv/k"));
    KvPort port = port(follower);

    assertThat(port.put("k", "1").type()).isEqualTo(OpType.OK);
    assertThat(port.put("k", "2").type()).isEqualTo(OpType.OK);

    assertThat(seen)
        .containsExactly(
            "follower PUT /v1/kv/k",
            "primary PUT /v1/kv/k",
            "follower PUT /v1/kv/k",
            "primary PUT /v1/kv/k");
  }

  @Test
  void anAbsentKeyIsAReadOfNothingAndAMismatchedCasADefiniteFailure() throws Exception {
    String absent =
        node(
            "n",
            404,
            "{\"error\":\"key not found\",\"outcome\":\"failed\",\"found\":false}",
            Map.of());
    assertThat(port(absent).get("k")).isEqualTo(Completion.ok(null, "n1"));

    String differs =
        node(
            "n", 409, "{\"error\":\"differs\",\"outcome\":\"failed\",\"swapped\":false}", Map.of());
    Completion cas = port(differs).cas("k", "1", "2");
    assertThat(cas.type()).isEqualTo(OpType.FAIL);
    assertThat(cas.error()).isEqualTo(KvPort.CAS_MISMATCH);
  }

  @Test
  void theOutcomeFieldDecidesBetweenFailAndInfo() throws Exception {
    String noLeader = node("n", 503, "{\"error\":\"no leader\",\"outcome\":\"failed\"}", Map.of());
    assertThat(port(noLeader).put("k", "1").type()).isEqualTo(OpType.FAIL);

    String unknown =
        node("n", 504, "{\"error\":\"not confirmed\",\"outcome\":\"unknown\"}", Map.of());
    assertThat(port(unknown).put("k", "1").type()).isEqualTo(OpType.INFO);

    String bare = node("n", 500, "oops", Map.of());
    assertThat(port(bare).delete("k").type()).isEqualTo(OpType.INFO);
  }

  @Test
  void aRefusedConnectionIsAFailureBecauseNothingWasSent() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort();
    }
    Completion c = port("127.0.0.1:" + free).put("k", "1");

    assertThat(c.type()).isEqualTo(OpType.FAIL);
    assertThat(c.error()).startsWith("connect");
  }

  @Test
  void noAnswerInTimeAfterSendingIsAnUnknownOutcome() throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext(
        "/",
        exchange -> {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    s.start();
    servers.add(s);

    Completion c =
        port("127.0.0.1:" + s.getAddress().getPort(), Duration.ofMillis(800)).put("k", "1");

    assertThat(c.type()).isEqualTo(OpType.INFO);
    assertThat(c.error()).isEqualTo("timeout");
  }
}
