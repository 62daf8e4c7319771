package dev.faultline.api.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import dev.faultline.raft.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultlineNodeTest {

  @TempDir Path dir;
  final List<FaultlineNode> nodes = new ArrayList<>();
  final List<AutoCloseable> clients = new ArrayList<>();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  List<NodeConfig> configs(int n) throws IOException {
    return configs(n, Map.of());
  }

  /** {@code n} nodes on free ports; {@code extra} adds or overrides node options. */
  List<NodeConfig> configs(int n, Map<String, Object> extra) throws IOException {
    List<String> ids = new ArrayList<>();
    List<String> entries = new ArrayList<>();
    Map<String, int[]> ports = new HashMap<>();
    for (int i = 1; i <= n; i++) {
      String id = "n" + i;
      int[] p = {freePort(), freePort(), freePort()};
      ports.put(id, p);
      ids.add(id);
      entries.add(
          id + "=peer=127.0.0.1:" + p[0] + ";http=127.0.0.1:" + p[1] + ";grpc=127.0.0.1:" + p[2]);
    }
    List<NodeConfig> configs = new ArrayList<>();
    for (String id : ids) {
      int[] p = ports.get(id);
      Map<String, Object> options =
          new HashMap<>(
              Map.of(
                  "id",
                  id,
                  "data-dir",
                  dir.resolve(id).toString(),
                  "peer-address",
                  "127.0.0.1:" + p[0],
                  "http-address",
                  "127.0.0.1:" + p[1],
                  "grpc-address",
                  "127.0.0.1:" + p[2],
                  "peers",
                  String.join(",", entries),
                  "tick-ms",
                  20,
                  "election-ticks",
                  10,
                  "heartbeat-ticks",
                  2));
      options.putAll(extra);
      configs.add(ConfigSources.fromOptions(options));
    }
    return configs;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    nodes.forEach(FaultlineNode::close);
  }

  Optional<FaultlineNode> leader() {
    return nodes.stream().filter(n -> n.status().role() == Role.LEADER).findFirst();
  }

  @Test
  void aThreeNodeClusterElectsServesBothProtocolsAndSurvivesLosingItsLeader() throws Exception {
    List<NodeConfig> configs = configs(3);
    for (NodeConfig c : configs) {
      nodes.add(FaultlineNode.start(c));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().isPresent());

    List<String> http = configs.stream().map(NodeConfig::httpAddress).toList();
    List<String> grpc = configs.stream().map(NodeConfig::grpcAddress).toList();
    KvClient viaHttp = KvClient.http(KvClientOptions.of(http));
    KvClient viaGrpc = KvClient.grpc(KvClientOptions.of(grpc));
    clients.add(viaHttp);
    clients.add(viaGrpc);

    viaHttp.put("k", "v1");
    assertThat(viaGrpc.get("k")).contains("v1");
    assertThat(viaGrpc.cas("k", "v1", "v2")).isTrue();
    assertThat(viaHttp.get("k")).contains("v2");
    FaultlineNode first = leader().orElseThrow();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              String text = first.metrics().scrape();
              for (NodeConfig c : configs) {
                if (!c.id().equals(first.config().id())) {
                  assertThat(text).contains("raft_replication_lag{peer=\"" + c.id() + "\"} 0.0");
                }
              }
            });
    // Messages between nodes are counted by kind: the leader sent entries, a follower got them.
    assertThat(first.metrics().scrape())
        .containsPattern("raft_messages_total\\{direction=\"sent\",type=\"AppendEntries\"\\} [1-9]")
        .containsPattern(
            "raft_messages_total\\{direction=\"received\",type=\"AppendResponse\"\\} [1-9]");
    FaultlineNode follower = nodes.stream().filter(n -> n != first).findFirst().orElseThrow();
    assertThat(follower.metrics().scrape())
        .containsPattern(
            "raft_messages_total\\{direction=\"received\",type=\"AppendEntries\"\\} [1-9]");

    FaultlineNode old = leader().orElseThrow();
    old.close();
    nodes.remove(old);
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().filter(l -> l != old).isPresent());
    viaHttp.put("k", "v3");
    assertThat(viaGrpc.get("k")).contains("v3");
    assertThat(leader().orElseThrow().metrics().scrape())
        .contains("raft_role 3.0")
        .containsPattern("raft_fsync_seconds_count [1-9]")
        .containsPattern("kv_operations_total\\{op=\"put\",outcome=\"ok\"\\} [1-9]");
  }

  /**
   * Clients that ask for a large value and then stop reading hold the threads writing their answers
   * until they read again or the connection times out. Those must be threads of their own, not a
   * pool every answer of the node waits for: other clients are still answered.
   */
  @Test
  void clientsThatStopReadingLargeAnswersDoNotHoldUpOtherClients() throws Exception {
    // More than the server's socket buffer can take (at most 4 MiB by default), so writing it
    // blocks until the client reads.
    int big = 6 << 20;
    NodeConfig config =
        configs(
                1,
                Map.of(
                    "max-value-bytes",
                    big,
                    "max-grpc-message-bytes",
                    big + 8192,
                    "max-peer-message-bytes",
                    3 * big,
                    // Longer than the bound below: an answer stuck behind the stalled ones fails
                    // it.
                    "request-timeout-ms",
                    60_000))
            .get(0);
    nodes.add(FaultlineNode.start(config));
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().isPresent());
    String base = "http://" + config.httpAddress();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> stored =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/kv/big"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[big]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(204);

    // More stalled readers than any small pool of answering threads has threads.
    int stalled = Runtime.getRuntime().availableProcessors() + 2;
    String[] hostPort = config.httpAddress().split(":");
    for (int i = 0; i < stalled; i++) {
      Socket s = new Socket();
      s.setReceiveBufferSize(4096);
      s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 5_000);
      s.getOutputStream()
          .write(
              ("GET /v1/kv/big HTTP/1.1\r\nHost: " + config.httpAddress() + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      clients.add(s);
    }
    List<Socket> sockets = clients.stream().map(Socket.class::cast).toList();
    for (Socket s : sockets) {
      s.setSoTimeout(20_000);
    }
    // An answer is being written, and stalls: its first bytes arrived, and the rest cannot.
    assertThat(sockets.get(0).getInputStream().read()).isEqualTo('H');

    try (KvClient c = KvClient.http(KvClientOptions.of(List.of(config.httpAddress())))) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(15),
          () -> {
            c.put("small", "answered");
            assertThat(c.get("small")).contains("answered");
          });
    }
    // And none of the stalled answers waited for another to finish.
    for (Socket s : sockets.subList(1, sockets.size())) {
      assertThat(s.getInputStream().read()).isEqualTo('H');
    }
  }

  /**
   * A follower that was down catches up in messages the transport carries: its backlog, sent as one
   * batch of Raft's usual size, would be over a small max-peer-message-bytes and dropped each time
   * it was sent.
   */
  @Test
  void aFollowerCatchesUpThroughSmallPeerMessages() throws Exception {
    int value = 16 << 10;
    List<NodeConfig> configs =
        configs(
            3,
            Map.of(
                "max-value-bytes",
                value,
                "max-peer-message-bytes",
                64 << 10,
                // The messages to the stopped follower are not kept for it: it must be sent its
                // backlog anew, in batches.
                "peer-queue-capacity",
                1));
    for (NodeConfig c : configs) {
      nodes.add(FaultlineNode.start(c));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().isPresent());
    FaultlineNode lagging =
        nodes.stream().filter(n -> n.status().role() != Role.LEADER).findFirst().orElseThrow();
    NodeConfig laggingConfig = lagging.config();
    lagging.close();
    nodes.remove(lagging);

    List<String> http = configs.stream().map(NodeConfig::httpAddress).toList();
    try (KvClient c = KvClient.http(KvClientOptions.of(http))) {
      String big = "v".repeat(value);
      for (int i = 0; i < 100; i++) {
        c.put("k" + i, big);
      }
    }
    nodes.add(FaultlineNode.start(laggingConfig));
    String caughtUp = "raft_replication_lag{peer=\"" + laggingConfig.id() + "\"} 0.0";
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(leader().orElseThrow().metrics().scrape()).contains(caughtUp));
  }

  @Test
  void aRestartedSingleNodeKeepsItsData() throws Exception {
    NodeConfig config = configs(1).get(0);
    FaultlineNode node = FaultlineNode.start(config);
    nodes.add(node);
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().isPresent());
    try (KvClient c = KvClient.http(KvClientOptions.of(List.of(config.httpAddress())))) {
      c.put("durable", "yes");
    }
    node.close();
    nodes.remove(node);

    FaultlineNode again = FaultlineNode.start(config);
    nodes.add(again);
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().isPresent());
    try (KvClient c = KvClient.grpc(KvClientOptions.of(List.of(config.grpcAddress())))) {
      assertThat(c.get("durable")).contains("yes");
    }
  }
}
