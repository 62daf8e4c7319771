package dev.faultline.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.node.FaultlineNode;
import dev.faultline.raft.Role;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes in this JVM with the material {@code faultline cluster up --tls} generates: the
 * cluster elects a leader over mutual TLS, and a client reaches it only with the CA and a token.
 */
class SecureClusterTest {

  @TempDir Path dir;
  final List<FaultlineNode> nodes = new ArrayList<>();

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    nodes.forEach(FaultlineNode::close);
  }

  @Test
  void generatedMaterialGivesAClusterReachableOnlyWithTheCaAndAToken() throws Exception {
    TestPki pki = new TestPki(dir, "n1", "n2", "n3");
    List<String> entries = new ArrayList<>();
    List<int[]> ports = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      int[] p = {freePort(), freePort(), freePort()};
      ports.add(p);
      entries.add(
          "n"
              + i
              + "=peer=127.0.0.1:"
              + p[0]
              + ";http=127.0.0.1:"
              + p[1]
              + ";grpc=127.0.0.1:"
              + p[2]);
    }
    for (int i = 1; i <= 3; i++) {
      int[] p = ports.get(i - 1);
      nodes.add(
          FaultlineNode.start(
              pki.config(
                  "n" + i,
                  Map.of(
                      "peer-address", "127.0.0.1:" + p[0],
                      "http-address", "127.0.0.1:" + p[1],
                      "grpc-address", "127.0.0.1:" + p[2],
                      "peers", String.join(",", entries),
                      "tick-ms", 20))));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> nodes.stream().anyMatch(n -> n.status().role() == Role.LEADER));
    FaultlineNode follower =
        nodes.stream().filter(n -> n.status().role() != Role.LEADER).findFirst().orElseThrow();

    // Through a follower, so the client must follow an https redirect to the leader.
    KvClientOptions http =
        KvClientOptions.of(List.of("127.0.0.1:" + follower.httpPort()))
            .withTls(pki.trustOnly())
            .withToken(pki.pki.writeToken());
    try (KvClient kv = KvClient.http(http)) {
      kv.put("greeting", "hello");
      assertThat(kv.get("greeting")).contains("hello");
    }
    KvClientOptions grpc =
        KvClientOptions.of(List.of("127.0.0.1:" + follower.grpcPort()))
            .withTls(pki.trustOnly())
            .withToken(pki.pki.readToken());
    try (KvClient kv = KvClient.grpc(grpc)) {
      assertThat(kv.get("greeting")).contains("hello");
    }

    String url = "https://127.0.0.1:" + follower.httpPort() + "/v1/cluster";
    HttpClient trusting = HttpClient.newBuilder().sslContext(pki.trustOnly().sslContext()).build();
    assertThat(
            trusting
                .send(
                    HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
    assertThat(
            trusting
                .send(
                    HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + pki.pki.adminToken())
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    HttpClient untrusting = HttpClient.newHttpClient();
    assertThatThrownBy(
            () ->
                untrusting.send(
                    HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + pki.pki.adminToken())
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }
}
