package dev.faultline.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.api.FakeBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.metrics.NodeMetrics;
import dev.faultline.api.security.EdgeSecurity;
import dev.faultline.api.security.InflightLimit;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a large body a few bytes at a time (a slow-body attack) over real sockets: they
 * are cut off with 408 (or turned away with 429 when the in-flight bound is full), and meanwhile
 * {@code /healthz} and an ordinary write are answered. Bounded: 80 connections, at most 16 writes
 * of 10 bytes each, 500 ms apart.
 */
class SlowBodyTest {

  static final Limits LIMITS =
      new Limits(64, 1 << 20, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(1));
  static final int SLOW_CONNECTIONS = 80;
  static final int INFLIGHT = 64;

  FakeBackend backend;
  NodeMetrics metrics;
  HttpApi api;
  int port;
  final HttpClient client = HttpClient.newHttpClient();
  final ScheduledExecutorService pace = Executors.newScheduledThreadPool(2);
  final ExecutorService readers = Executors.newFixedThreadPool(SLOW_CONNECTIONS);
  final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() {
    backend = new FakeBackend("n1");
    metrics = new NodeMetrics();
    EdgeSecurity security =
        EdgeSecurity.open().withLimits(new InflightLimit(INFLIGHT, metrics.registry()), 8192, 8);
    api = new HttpApi(backend, metrics, LIMITS, security);
    port = api.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() throws IOException {
    pace.shutdownNow();
    readers.shutdownNow();
    for (Socket s : sockets) {
      s.close();
    }
    api.close();
    metrics.close();
  }

  /** Opens one slow upload and returns the status it is finally answered with. */
  CompletableFuture<Integer> slowUpload(int n) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    sockets.add(s);
    s.setSoTimeout(15_000);
    OutputStream out = s.getOutputStream();
    out.write(
        ("PUT /v1/kv/slow" + n + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    AtomicInteger writes = new AtomicInteger();
    ScheduledFuture<?>[] trickle = new ScheduledFuture<?>[1];
    trickle[0] =
        pace.scheduleAtFixedRate(
            () -> {
              try {
                if (writes.incrementAndGet() > 16) {
                  trickle[0].cancel(false);
                  return;
                }
                out.write("0123456789".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
              } catch (IOException e) {
                trickle[0].cancel(false); // the server has answered and closed
              }
            },
            0,
            500,
            TimeUnit.MILLISECONDS);
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            byte[] answer = s.getInputStream().readNBytes(12);
            return Integer.parseInt(
                new String(answer, StandardCharsets.ISO_8859_1).substring(9, 12));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          } finally {
            trickle[0].cancel(false);
          }
        },
        readers);
  }

  HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(
        b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void slowBodiesAreCutOffWhileHealthAndWritesAreServed() throws Exception {
    URI base = URI.create("http://127.0.0.1:" + port);
    assertThat(send(HttpRequest.newBuilder(base.resolve("/healthz")).GET()).statusCode())
        .isEqualTo(200); // the first request pays for the server's and the client's warm-up
    List<CompletableFuture<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < SLOW_CONNECTIONS; i++) {
      answers.add(slowUpload(i));
    }
    // During the attack: the probe and an ordinary write are answered within the client's bound.
    assertThat(send(HttpRequest.newBuilder(base.resolve("/healthz")).GET()).statusCode())
        .isEqualTo(200);
    int put =
        send(HttpRequest.newBuilder(base.resolve("/v1/kv/ordinary"))
                .PUT(HttpRequest.BodyPublishers.ofString("v")))
            .statusCode();
    assertThat(put).isIn(204, 429);

    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<Integer> a : answers) {
      statuses.add(a.get(20, TimeUnit.SECONDS));
    }
    assertThat(statuses).allMatch(code -> code == 408 || code == 429);
    assertThat(statuses).contains(408);
    assertThat(backend.data().keySet())
        .map(k -> StandardCharsets.UTF_8.decode(k.duplicate()).toString())
        .noneMatch(k -> k.startsWith("slow"));

    // Once the slow clients are gone, writes go through again.
    assertThat(
            send(HttpRequest.newBuilder(base.resolve("/v1/kv/after"))
                    .PUT(HttpRequest.BodyPublishers.ofString("v")))
                .statusCode())
        .isEqualTo(204);
  }
}
