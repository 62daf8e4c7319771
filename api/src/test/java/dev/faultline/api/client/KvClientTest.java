package dev.faultline.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.api.FakeBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.grpc.GrpcServer;
import dev.faultline.api.http.HttpApi;
import dev.faultline.api.metrics.NodeMetrics;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KvClientTest {

  enum Protocol {
    HTTP,
    GRPC
  }

  static final Limits LIMITS =
      new Limits(64, 4096, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(1));

  final List<AutoCloseable> open = new ArrayList<>();
  final Map<ByteBuffer, byte[]> data = new ConcurrentHashMap<>();
  final List<FakeBackend> nodes = new ArrayList<>();
  final List<NodeAddress> addresses = new ArrayList<>();
  NodeMetrics metrics;

  @BeforeEach
  void cluster() {
    metrics = new NodeMetrics();
    open.add(metrics);
    for (String id : List.of("n1", "n2", "n3")) {
      FakeBackend node = new FakeBackend(id, data);
      HttpApi http = new HttpApi(node, metrics, LIMITS);
      GrpcServer grpc = new GrpcServer(node, metrics, LIMITS);
      open.add(http);
      open.add(grpc);
      int httpPort = http.start("127.0.0.1", 0);
      int grpcPort = grpc.start("127.0.0.1", 0);
      nodes.add(node);
      addresses.add(new NodeAddress(id, null, "127.0.0.1:" + httpPort, "127.0.0.1:" + grpcPort));
    }
    leaderIs(1);
  }

  void leaderIs(int index) {
    for (int i = 0; i < nodes.size(); i++) {
      if (i == index) {
        nodes.get(i).mode(FakeBackend.Mode.LEADER);
      } else {
        nodes.get(i).follow(addresses.get(index));
      }
    }
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  String endpoint(Protocol p, int node) {
    NodeAddress a = addresses.get(node);
    return p == Protocol.HTTP ? "http://" + a.http() : a.grpc();
  }

  KvClient client(Protocol p, KvClientOptions options) {
    KvClient c = p == Protocol.HTTP ? KvClient.http(options) : KvClient.grpc(options);
    open.add(0, c);
    return c;
  }

  KvClientOptions fast(List<String> endpoints) {
    return new KvClientOptions(
        endpoints,
        new KvClientOptions.Retry(
            Duration.ofSeconds(2), Duration.ofSeconds(3), 6, Duration.ofMillis(10)),
        true);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void followsTheRedirectToTheLeaderAndRemembersIt(Protocol p) {
    KvClient c = client(p, fast(List.of(endpoint(p, 0))));
    c.put("k", "v");
    assertThat(c.get("k")).contains("v");
    assertThat(c.leader()).isEqualTo(endpoint(p, 1));
    int followerCalls = nodes.get(0).calls.get();
    assertThat(c.cas("k", "v", "w")).isTrue();
    assertThat(c.cas("k", "v", "x")).isFalse();
    c.delete("k");
    assertThat(c.get("k")).isEmpty();
    assertThat(nodes.get(0).calls.get()).isEqualTo(followerCalls);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void binaryKeysAndValuesRoundTrip(Protocol p) {
    KvClient c = client(p, fast(List.of(endpoint(p, 1))));
    byte[] key = {'a', '/', '%', '.', (byte) 0xff, ' '};
    byte[] value = {0, 1, 2, (byte) 0x80};
    c.put(key, value);
    assertThat(c.get(key)).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
    assertThat(c.cas(key, new byte[] {9}, new byte[] {1}).current()).isEqualTo(value);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void anUnreachableNodeIsSkipped(Protocol p) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String dead = (p == Protocol.HTTP ? "http://" : "") + "127.0.0.1:" + closedPort;
    KvClient c = client(p, fast(List.of(dead, endpoint(p, 2))));
    c.put("k", "v");
    assertThat(c.get("k")).contains("v");
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void noLeaderAnywhereIsADefiniteFailure(Protocol p) {
    nodes.forEach(n -> n.mode(FakeBackend.Mode.NO_LEADER));
    KvClient c = client(p, fast(List.of(endpoint(p, 0), endpoint(p, 1))));
    assertThatThrownBy(() -> c.put("k", "v")).isInstanceOf(KvFailedException.class);
    assertThat(nodes.get(0).writesApplied.get() + nodes.get(1).writesApplied.get()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void badInputFailsAtOnceWithoutRetrying(Protocol p) {
    KvClient c = client(p, fast(List.of(endpoint(p, 1))));
    assertThatThrownBy(() -> c.put(new byte[0], new byte[] {1}))
        .isInstanceOf(KvFailedException.class);
    assertThatThrownBy(() -> c.put(new byte[65], new byte[] {1}))
        .isInstanceOf(KvFailedException.class);
    assertThat(nodes.get(1).calls.get()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void anUnknownOutcomeWithoutSessionIsReportedAndNotRetried(Protocol p) {
    nodes.get(1).mode(FakeBackend.Mode.UNKNOWN_AFTER_APPLY);
    KvClient c = client(p, fast(List.of(endpoint(p, 1))).withSessions(false));
    assertThatThrownBy(() -> c.put("k", "v")).isInstanceOf(KvUnknownOutcomeException.class);
    assertThat(nodes.get(1).writesApplied.get()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aSessionWriteIsRetriedAfterAnUnknownOutcomeAndAppliedOnce(Protocol p) {
    nodes.get(1).mode(FakeBackend.Mode.UNKNOWN_AFTER_APPLY);
    KvClient c = client(p, fast(List.of(endpoint(p, 1))).withMaxAttempts(3));
    assertThatThrownBy(() -> c.put("k", "v")).isInstanceOf(KvUnknownOutcomeException.class);
    assertThat(nodes.get(1).calls.get()).isEqualTo(3);
    assertThat(nodes.get(1).writesApplied.get()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void anUnknownOutcomeStaysUnknownWhenARetryFailsDefinitely(Protocol p) {
    nodes.get(1).mode(FakeBackend.Mode.UNKNOWN_AFTER_APPLY);
    nodes.get(2).mode(FakeBackend.Mode.NO_LEADER);
    KvClient c = client(p, fast(List.of(endpoint(p, 1), endpoint(p, 2))).withMaxAttempts(2));
    assertThatThrownBy(() -> c.put("k", "v")).isInstanceOf(KvUnknownOutcomeException.class);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aTimedOutWriteIsUnknownAndATimedOutReadIsRetried(Protocol p) {
    nodes.get(1).mode(FakeBackend.Mode.NEVER_ANSWERS);
    KvClient c =
        client(p, fast(List.of(endpoint(p, 1), endpoint(p, 2))).withSessions(false))
            .withCallTimeout(Duration.ofMillis(300));
    assertThatThrownBy(() -> c.put("k", "v")).isInstanceOf(KvUnknownOutcomeException.class);
    nodes.get(2).mode(FakeBackend.Mode.LEADER);
    data.put(ByteBuffer.wrap("r".getBytes()), "x".getBytes());
    assertThat(c.get("r")).contains("x");
  }
}
