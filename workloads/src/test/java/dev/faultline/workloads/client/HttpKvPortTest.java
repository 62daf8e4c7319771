package dev.faultline.workloads.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.histories.OpType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plain-socket HTTP port against small HTTP servers on loopback. */
class HttpKvPortTest {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** A leader that keeps one value per key and answers as the node's HTTP API does. */
  private static final class Leader {
    final Map<String, String> values = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    void handle(HttpExchange ex) throws IOException {
      String key = ex.getRequestURI().getPath().replaceFirst("^/v1/kv/", "");
      String method = ex.getRequestMethod();
      byte[] in = ex.getRequestBody().readAllBytes();
      requests.add(
          method
              + " "
              + ex.getRequestURI().getPath()
              + " seq="
              + ex.getRequestHeaders().getFirst("X-Request-Seq")
              + " client="
              + (ex.getRequestHeaders().getFirst("X-Client-Id") != null));
      if (method.equals("GET")) {
        String v = values.get(key);
        if (v == null) {
          send(ex, 404, "{\"error\":\"no such key\",\"found\":false}");
        } else {
          send(ex, 200, v);
        }
      } else if (method.equals("PUT")) {
        values.put(key, new String(in, StandardCharsets.UTF_8));
        send(ex, 204, null);
      } else {
        key = key.replaceFirst("/cas$", "");
        String body = new String(in, StandardCharsets.UTF_8);
        String expected =
            body.contains("\"expected\":null")
                ? null
                : new String(
                    java.util.Base64.getDecoder().decode(field(body, "expected_b64")),
                    StandardCharsets.UTF_8);
        String value =
            new String(
                java.util.Base64.getDecoder().decode(field(body, "value_b64")),
                StandardCharsets.UTF_8);
        if (java.util.Objects.equals(values.get(key), expected)) {
          values.put(key, value);
          send(ex, 200, "{}");
        } else {
          send(ex, 409, "{\"error\":\"mismatch\",\"current\":\"" + values.get(key) + "\"}");
        }
      }
    }

    private static String field(String json, String name) {
      int at = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
      return json.substring(at, json.indexOf('"', at));
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
    ex.close();
  }

  private String serve(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", handler);
    server.start();
    open.add(() -> server.stop(0));
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private HttpKvPort port(String endpoint, Map<String, String> names, Duration call) {
    var port = new HttpKvPort(List.of(endpoint), names, call, call.multipliedBy(3), true);
    open.add(port);
    return port;
  }

  @Test
  void followsAFollowersRedirectOnceAndThenTalksToTheLeaderWithSessions() throws IOException {
    var leader = new Leader();
    String leaderAt = serve(leader::handle);
    var followerHits = new AtomicInteger();
    String followerAt =
        serve(
            ex -> {
              followerHits.incrementAndGet();
              ex.getResponseHeaders()
                  .add("Location", "http://" + leaderAt + ex.getRequestURI().getPath());
              send(ex, 307, "{\"error\":\"node n2 is not the leader; n1 is\"}");
            });
    var port = port(followerAt, Map.of(leaderAt, "n1", followerAt, "n2"), Duration.ofSeconds(2));

    Completion absent = port.get("k1");
    Completion put = port.put("k1", "7");
    Completion read = port.get("k1");
    Completion swapped = port.cas("k1", "7", "8");
    Completion lost = port.cas("k1", "7", "9");
    Completion created = port.cas("k2", null, "1");

    assertThat(absent.type()).isEqualTo(OpType.OK);
    assertThat(absent.value()).isNull();
    assertThat(absent.node()).isEqualTo("n1");
    assertThat(put.type()).isEqualTo(OpType.OK);
    assertThat(read.value()).isEqualTo("7");
    assertThat(swapped.type()).isEqualTo(OpType.OK);
    assertThat(lost.type()).isEqualTo(OpType.FAIL);
    assertThat(lost.error()).isEqualTo(KvPort.CAS_MISMATCH);
    assertThat(lost.node()).isEqualTo("n1");
    assertThat(created.type()).isEqualTo(OpType.OK);
    assertThat(leader.values).containsEntry("k1", "8").containsEntry("k2", "1");
    // Only the first request went to the follower; writes carry the client's id and 1, 2, 3, ...
    assertThat(followerHits).hasValue(1);
    assertThat(leader.requests)
        .containsExactly(
            "GET /v1/kv/k1 seq=null client=false",
            "PUT /v1/kv/k1 seq=1 client=true",
            "GET /v1/kv/k1 seq=null client=false",
            "POST /v1/kv/k1/cas seq=2 client=true",
            "POST /v1/kv/k1/cas seq=3 client=true",
            "POST /v1/kv/k2/cas seq=4 client=true");
  }

  @Test
  void aNodeThatRefusesConnectionsIsADefiniteFailure() throws IOException {
    String closed;
    try (var s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = "127.0.0.1:" + s.getLocalPort();
    }
    var port = port(closed, Map.of(closed, "n3"), Duration.ofMillis(200));

    Completion put = port.put("k", "1");

    assertThat(put.type()).isEqualTo(OpType.FAIL);
    assertThat(put.error())
        .startsWith("put failed at http://" + closed + ": ")
        .contains("cannot connect");
    assertThat(put.node()).isEqualTo("n3");
  }

  @Test
  void aWriteThatGetsNoAnswerIsUnknownAndAReadThatGetsNoneFails() throws IOException {
    // Accepts connections and reads requests, never answers.
    var silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    open.add(silent);
    var held = Collections.synchronizedList(new ArrayList<Socket>());
    Thread acceptor =
        new Thread(
            () -> {
              while (!silent.isClosed()) {
                try {
                  held.add(silent.accept());
                } catch (IOException closedNow) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    open.add(() -> held.forEach(this::quietly));
    String at = "127.0.0.1:" + silent.getLocalPort();
    var port = port(at, Map.of(at, "n1"), Duration.ofMillis(150));

    Completion put = port.put("k", "1");
    Completion get = port.get("k");

    assertThat(put.type()).isEqualTo(OpType.INFO);
    assertThat(put.error()).contains("outcome unknown");
    assertThat(get.type()).isEqualTo(OpType.FAIL);
    assertThat(get.error()).contains("get failed at");
  }

  @Test
  void noLeaderIsRetriedAfterAPauseAndAnAnswerThatClosesTheConnectionIsFine() throws IOException {
    var leader = new Leader();
    var calls = new AtomicInteger();
    String at =
        serve(
            ex -> {
              if (calls.incrementAndGet() <= 2) {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().add("Connection", "close");
                send(ex, 503, "{\"error\":\"no leader\",\"outcome\":\"failed\"}");
              } else {
                leader.handle(ex);
              }
            });
    var port = port(at, Map.of(at, "n1"), Duration.ofSeconds(2));

    Completion put = port.put("k", "5");

    assertThat(put.type()).isEqualTo(OpType.OK);
    assertThat(calls).hasValue(3);
    // The same session sequence number on every attempt: the store applies it once.
    assertThat(leader.requests).containsExactly("PUT /v1/kv/k seq=1 client=true");
  }

  @Test
  void aConnectionTheNodeClosedBetweenRequestsCostsAWriteARetryNotItsOutcome() throws IOException {
    // Answers one request per connection, then closes it without saying so (as a node that
    // restarted, or dropped an idle connection, does).
    var server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    open.add(server);
    var connections = new AtomicInteger();
    var seqs = Collections.synchronizedList(new ArrayList<String>());
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  connections.incrementAndGet();
                  var in =
                      new java.io.BufferedReader(
                          new java.io.InputStreamReader(
                              s.getInputStream(), StandardCharsets.ISO_8859_1));
                  int length = 0;
                  for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                    if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                      length = Integer.parseInt(h.substring(15).trim());
                    }
                    if (h.startsWith("X-Request-Seq:")) {
                      seqs.add(h.substring(14).trim());
                    }
                  }
                  in.skip(length);
                  s.getOutputStream()
                      .write(
                          "HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                  s.getOutputStream().flush();
                } catch (IOException closedNow) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    String at = "127.0.0.1:" + server.getLocalPort();
    var port = port(at, Map.of(at, "n1"), Duration.ofSeconds(2));

    Completion first = port.put("k", "1");
    Completion second = port.put("k", "2");

    assertThat(first.type()).isEqualTo(OpType.OK);
    // Sent on the closed connection, its outcome unknown, sent again under the same session.
    assertThat(second.type()).isEqualTo(OpType.OK);
    assertThat(seqs).endsWith("2");
    assertThat(seqs).doesNotContain("3");
    assertThat(connections.get()).isGreaterThanOrEqualTo(2);
  }

  private void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Closing at the end of the test.
    }
  }
}
