package dev.faultline.workloads.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.histories.OpType;
import dev.faultline.workloads.Command;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP port against two loopback servers that answer as the API contract says a node may. */
class HttpKvPortTest {
  private interface Responder {
    void respond(HttpExchange exchange) throws IOException;
  }

  private HttpServer n1;
  private HttpServer n2;
  private volatile Responder atN1;
  private volatile Responder atN2;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private Map<String, URI> nodes;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ExecutorService handlers = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws IOException {
    n1 = server(() -> atN1);
    n2 = server(() -> atN2);
    nodes = new LinkedHashMap<>();
    nodes.put("n1", uri(n1));
    nodes.put("n2", uri(n2));
  }

  @AfterEach
  void stop() {
    release.countDown();
    n1.stop(0);
    n2.stop(0);
    handlers.shutdownNow();
  }

  private interface Source {
    Responder get();
  }

  private HttpServer server(Source responder) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + new String(body, StandardCharsets.UTF_8));
          responder.get().respond(exchange);
          exchange.close();
        });
    s.setExecutor(handlers);
    s.start();
    return s;
  }

  private static URI uri(HttpServer s) {
    return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
  }

  private static Responder reply(int status, String body) {
    return exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    };
  }

  private HttpKvPort port() {
    return new HttpKvPort(http, nodes, "n1", Duration.ofSeconds(5));
  }

  @Test
  void readReturnsTheStoredIntegerAndTheNode() {
    atN1 = reply(200, "3");
    Completion c = new PortClient(port()).execute(new Command.Read("k1"));
    assertThat(c).isEqualTo(Completion.ok(3L, "n1"));
    assertThat(requests).containsExactly("GET /v1/kv/k1 ");
  }

  @Test
  void absentKeyReadsAsNull() {
    atN1 = reply(404, "{\"error\":\"no such key\",\"outcome\":\"failed\"}");
    assertThat(new PortClient(port()).execute(new Command.Read("k1")))
        .isEqualTo(Completion.ok(null, "n1"));
  }

  @Test
  void writeSendsTheDecimalString() {
    atN1 = reply(204, "");
    Completion c = new PortClient(port()).execute(new Command.Write("k1", 4));
    assertThat(c.type()).isEqualTo(OpType.OK);
    assertThat(c.value()).isEqualTo(4L);
    assertThat(requests).containsExactly("PUT /v1/kv/k1 4");
  }

  @Test
  void casSendsExpectedAndNewAndReportsAMismatchAsFail() {
    atN1 = reply(200, "{\"swapped\":true}");
    assertThat(port().cas("k1", "1", "2").type()).isEqualTo(OpType.OK);
    atN1 = reply(409, "{\"error\":\"differs\",\"outcome\":\"failed\",\"current\":\"0\"}");
    assertThat(port().cas("k1", null, "2")).isEqualTo(Completion.fail(KvPort.CAS_MISMATCH, "n1"));
    assertThat(requests)
        .containsExactly(
            "POST /v1/kv/k1/cas {\"expected\":\"1\",\"value\":\"2\"}",
            "POST /v1/kv/k1/cas {\"expected\":null,\"value\":\"2\"}");
  }

  @Test
  void statusCodesMapToFailOrInfoAsTheContractSays() {
    Map<Responder, OpType> cases = new LinkedHashMap<>();
    cases.put(reply(503, "{\"error\":\"no leader\",\"outcome\":\"failed\"}"), OpType.FAIL);
    cases.put(reply(400, "{\"error\":\"bad key\",\"outcome\":\"failed\"}"), OpType.FAIL);
    cases.put(reply(413, ""), OpType.FAIL);
    cases.put(reply(504, "{\"error\":\"timed out\",\"outcome\":\"unknown\"}"), OpType.INFO);
    cases.put(reply(500, "{\"error\":\"apply failed\",\"outcome\":\"unknown\"}"), OpType.INFO);
    cases.put(reply(500, "{\"error\":\"not proposed\",\"outcome\":\"failed\"}"), OpType.FAIL);
    cases.put(reply(502, "gateway"), OpType.INFO);
    cases.forEach(
        (responder, expected) -> {
          atN1 = responder;
          assertThat(port().put("k1", "1").type()).isEqualTo(expected);
        });
  }

  @Test
  void followerRedirectIsFollowedToTheLeaderWhoAnswers() {
    atN1 =
        exchange -> {
          exchange
              .getResponseHeaders()
              .add("Location", uri(n2) + exchange.getRequestURI().toString());
          exchange.sendResponseHeaders(307, -1);
        };
    atN2 = reply(200, "{\"swapped\":true}");
    assertThat(port().cas("k1", "1", "2")).isEqualTo(Completion.ok(null, "n2"));
    assertThat(requests)
        .containsExactly(
            "POST /v1/kv/k1/cas {\"expected\":\"1\",\"value\":\"2\"}",
            "POST /v1/kv/k1/cas {\"expected\":\"1\",\"value\":\"2\"}");
  }

  @Test
  void requestThatTimesOutHasUnknownOutcome() {
    atN1 =
        exchange -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply(204, "").respond(exchange);
        };
    HttpKvPort port = new HttpKvPort(http, nodes, "n1", Duration.ofMillis(300));
    assertThat(port.put("k1", "1")).isEqualTo(Completion.info("timeout", "n1"));
  }

  @Test
  void readThatTimesOutIsRecordedAsFailBecauseItHadNoEffect() {
    atN1 =
        exchange -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    HttpKvPort port = new HttpKvPort(http, nodes, "n1", Duration.ofMillis(300));
    assertThat(new PortClient(port).execute(new Command.Read("k1")))
        .isEqualTo(Completion.fail("timeout", "n1"));
  }

  @Test
  void refusedConnectionIsADefiniteFailure() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Map<String, URI> gone = Map.of("n9", URI.create("http://127.0.0.1:" + closed));
    HttpKvPort port = new HttpKvPort(http, gone, "n9", Duration.ofSeconds(2));
    assertThat(port.put("k1", "1")).isEqualTo(Completion.fail("connect-refused", "n9"));
  }

  @Test
  void factorySpreadsProcessesOverNodes() {
    atN1 = reply(200, "1");
    atN2 = reply(200, "2");
    ClientFactory factory = HttpKvPort.factory(nodes, Duration.ofSeconds(5));
    assertThat(factory.open(0).execute(new Command.Read("k")).node()).isEqualTo("n1");
    assertThat(factory.open(1).execute(new Command.Read("k")).node()).isEqualTo("n2");
    assertThat(factory.open(12).execute(new Command.Read("k")).node()).isEqualTo("n1");
  }

  @Test
  void setAddAppendsToTheStoredList() {
    atN1 =
        exchange -> {
          if (exchange.getRequestMethod().equals("GET")) {
            reply(200, "1,2").respond(exchange);
          } else {
            reply(200, "{\"swapped\":true}").respond(exchange);
          }
        };
    assertThat(new PortClient(port()).execute(new Command.Add("s", 7)).type()).isEqualTo(OpType.OK);
    assertThat(requests)
        .containsExactly(
            "GET /v1/kv/s ", "POST /v1/kv/s/cas {\"expected\":\"1,2\",\"value\":\"1,2,7\"}");
  }
}
