package dev.faultline.api.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import dev.faultline.raft.Role;
import java.io.IOException;
import java.net.ServerSocket;
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
      configs.add(
          ConfigSources.fromOptions(
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
                  2)));
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
