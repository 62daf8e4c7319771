package dev.faultline.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcTransportTest {

  static final GrpcTransport.Options OPTIONS =
      new GrpcTransport.Options(
          64 * 1024, 64, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(10));

  final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  record Received(String from, String text) {}

  GrpcTransport transport(String id, int port) {
    GrpcTransport t = new GrpcTransport(id, "127.0.0.1", port, OPTIONS);
    open.add(t);
    return t;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void collect(GrpcTransport t, List<Received> into) {
    t.start(
        (from, bytes) -> into.add(new Received(from, new String(bytes, StandardCharsets.UTF_8))));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void twoTransportsExchangeMessagesInOrder() {
    GrpcTransport a = transport("n1", 0);
    GrpcTransport b = transport("n2", 0);
    a.addPeer("n2", "127.0.0.1:" + b.port());
    b.addPeer("n1", "127.0.0.1:" + a.port());
    List<Received> atA = new CopyOnWriteArrayList<>();
    List<Received> atB = new CopyOnWriteArrayList<>();
    collect(a, atA);
    collect(b, atB);

    for (int i = 0; i < 20; i++) {
      a.send("n2", utf8("m" + i));
    }
    b.send("n1", utf8("reply"));

    await().atMost(Duration.ofSeconds(10)).until(() -> atB.size() == 20 && atA.size() == 1);
    assertThat(atB)
        .extracting(Received::text)
        .containsExactly(
            java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i).toArray(String[]::new));
    assertThat(atB).extracting(Received::from).containsOnly("n1");
    assertThat(atA).containsExactly(new Received("n2", "reply"));
  }

  @Test
  void aBurstStaysInOrderWhileSendsSwitchBetweenTheStreamAndTheQueue() {
    // Messages are written straight to the stream while it is ready and queued while it is not
    // (before it opens, and whenever flow control pushes back on a burst this large); the queue
    // must drain before the next direct write, so the receiver sees every message in order.
    var roomy =
        new GrpcTransport.Options(
            64 * 1024,
            100_000,
            Duration.ofMillis(20),
            Duration.ofMillis(200),
            Duration.ofSeconds(10));
    GrpcTransport a = new GrpcTransport("n1", "127.0.0.1", 0, roomy);
    GrpcTransport b = new GrpcTransport("n2", "127.0.0.1", 0, roomy);
    open.add(a);
    open.add(b);
    a.addPeer("n2", "127.0.0.1:" + b.port());
    List<Received> atB = new CopyOnWriteArrayList<>();
    collect(a, new CopyOnWriteArrayList<>());
    collect(b, atB);

    a.send("n2", utf8("0:opens the stream"));
    await().atMost(Duration.ofSeconds(10)).until(() -> atB.size() == 1);
    String pad = "x".repeat(2000);
    int n = 20_000;
    for (int i = 1; i < n; i++) {
      a.send("n2", utf8(i + ":" + pad));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> atB.size() == n);
    for (int i = 0; i < n; i++) {
      String text = atB.get(i).text();
      assertThat(text.substring(0, text.indexOf(':'))).isEqualTo(Integer.toString(i));
    }
  }

  @Test
  void aRestartedPeerIsReconnectedTo() throws Exception {
    GrpcTransport a = transport("n1", 0);
    GrpcTransport b = transport("n2", 0);
    int port = b.port();
    a.addPeer("n2", "127.0.0.1:" + port);
    List<Received> atB = new CopyOnWriteArrayList<>();
    collect(a, new CopyOnWriteArrayList<>());
    collect(b, atB);

    a.send("n2", utf8("before"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !atB.isEmpty());

    b.close();
    for (int i = 0; i < 5; i++) {
      a.send("n2", utf8("while-down-" + i));
    }
    GrpcTransport restarted = transport("n2", port);
    List<Received> atRestarted = new CopyOnWriteArrayList<>();
    collect(restarted, atRestarted);

    int[] sent = {0};
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              a.send("n2", utf8("after-" + sent[0]++));
              return atRestarted.stream().anyMatch(r -> r.text().startsWith("after-"));
            });
    assertThat(a.connectAttempts("n2")).isGreaterThan(1);
  }

  @Test
  void oversizeMessagesAreDroppedAndLaterOnesStillArrive() {
    GrpcTransport a = transport("n1", 0);
    GrpcTransport b = transport("n2", 0);
    a.addPeer("n2", "127.0.0.1:" + b.port());
    List<Received> atB = new CopyOnWriteArrayList<>();
    collect(a, new CopyOnWriteArrayList<>());
    collect(b, atB);

    a.send("n2", new byte[OPTIONS.maxMessageBytes()]);
    a.send("n2", utf8("small"));

    await().atMost(Duration.ofSeconds(10)).until(() -> !atB.isEmpty());
    assertThat(atB).extracting(Received::text).containsExactly("small");
    assertThat(a.droppedOversize()).isEqualTo(1);
  }

  @Test
  void messagesToAnUnknownPeerAreDroppedQuietly() {
    GrpcTransport a = transport("n1", 0);
    collect(a, new CopyOnWriteArrayList<>());
    a.send("n9", utf8("nobody"));
    assertThat(a.dropped("n9")).isZero();
  }

  @Test
  void aFullQueueDropsItsOldestMessage() {
    OutboundQueue q = new OutboundQueue(2);
    assertThat(q.offer(utf8("a"))).isTrue();
    assertThat(q.offer(utf8("b"))).isTrue();
    assertThat(q.offer(utf8("c"))).isFalse();
    assertThat(q.dropped()).isEqualTo(1);
    assertThat(new String(q.poll(), StandardCharsets.UTF_8)).isEqualTo("b");
    assertThat(new String(q.poll(), StandardCharsets.UTF_8)).isEqualTo("c");
    assertThat(q.poll()).isNull();
  }
}
