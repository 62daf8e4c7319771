package dev.faultline.api.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import dev.faultline.raft.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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

/**
 * Replacing a member of a running cluster through the admin endpoints: a node started with {@code
 * join} is added as a learner, promoted once caught up, and the old member removed; the new node
 * serves every acknowledged write and keeps the cluster alive when another original member goes.
 */
class MembershipAdminTest {

  @TempDir Path dir;
  final Map<String, FaultlineNode> nodes = new HashMap<>();
  final List<AutoCloseable> clients = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();
  final Map<String, int[]> ports = new HashMap<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    nodes.values().forEach(FaultlineNode::close);
  }

  String entry(String id) {
    int[] p = ports.get(id);
    return id + "=peer=127.0.0.1:" + p[0] + ";http=127.0.0.1:" + p[1] + ";grpc=127.0.0.1:" + p[2];
  }

  NodeConfig config(String id, String peers, boolean join) {
    Map<String, Object> o = new HashMap<>();
    int[] p = ports.get(id);
    o.put("id", id);
    o.put("data-dir", dir.resolve(id).toString());
    o.put("peer-address", "127.0.0.1:" + p[0]);
    o.put("http-address", "127.0.0.1:" + p[1]);
    o.put("grpc-address", "127.0.0.1:" + p[2]);
    o.put("peers", peers);
    o.put("tick-ms", 20);
    o.put("election-ticks", 10);
    o.put("heartbeat-ticks", 2);
    o.put("join", join);
    return ConfigSources.fromOptions(o);
  }

  Optional<FaultlineNode> leader() {
    return nodes.values().stream().filter(n -> n.status().role() == Role.LEADER).findFirst();
  }

  HttpResponse<String> call(String method, FaultlineNode node, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
            .timeout(Duration.ofSeconds(10));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static boolean free(int port) {
    if (port > 19999) {
      throw new IllegalStateException("no free loopback port left in 19900-19999");
    }
    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
      s.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void aJoiningNodeReplacesALostMemberThroughLearnerPromoteRemove() throws Exception {
    // Loopback ports 19900-19999 only.
    int next = 19900 + java.util.concurrent.ThreadLocalRandom.current().nextInt(50);
    for (String id : List.of("n1", "n2", "n3", "n4")) {
      int[] p = new int[3];
      for (int i = 0; i < 3; i++) {
        while (!free(next)) {
          next++;
        }
        p[i] = next++;
      }
      ports.put(id, p);
    }
    String original = String.join(",", entry("n1"), entry("n2"), entry("n3"));
    for (String id : List.of("n1", "n2", "n3")) {
      nodes.put(id, FaultlineNode.start(config(id, original, false)));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().isPresent());
    List<String> all =
        List.of("n1", "n2", "n3").stream().map(id -> "127.0.0.1:" + ports.get(id)[1]).toList();
    KvClient client = KvClient.http(KvClientOptions.of(all));
    clients.add(client);
    for (int i = 0; i < 20; i++) {
      client.put("k" + i, "v" + i);
    }
    String lost =
        nodes.keySet().stream()
            .filter(id -> !id.equals(leader().orElseThrow().config().id()))
            .sorted()
            .findFirst()
            .orElseThrow();
    nodes.remove(lost).close();

    FaultlineNode joiner = FaultlineNode.start(config("n4", original, true));
    nodes.put("n4", joiner);
    FaultlineNode lead = leader().orElseThrow();
    FaultlineNode follower =
        nodes.values().stream().filter(n -> n != lead && n != joiner).findFirst().orElseThrow();
    String member =
        "{\"id\":\"n4\",\"peer\":\"127.0.0.1:%d\",\"http\":\"127.0.0.1:%d\",\"grpc\":\"127.0.0.1:%d\"}"
            .formatted(ports.get("n4")[0], ports.get("n4")[1], ports.get("n4")[2]);

    HttpResponse<String> redirect = call("POST", follower, "/v1/admin/members", member);
    assertThat(redirect.statusCode()).isEqualTo(307);
    assertThat(redirect.headers().firstValue("Location"))
        .hasValue("http://127.0.0.1:" + lead.httpPort() + "/v1/admin/members");
    HttpResponse<String> bad = call("POST", lead, "/v1/admin/members", "{\"id\":\"n4\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json.readTree(bad.body()).get("error").asText()).contains("lacks 'peer'");
    assertThat(json.readTree(bad.body()).get("outcome").asText()).isEqualTo("failed");
    HttpResponse<String> unknown = call("POST", lead, "/v1/admin/members/n9/promote", null);
    assertThat(unknown.statusCode()).isEqualTo(409);
    assertThat(unknown.body()).contains("n9 is not a learner");

    HttpResponse<String> added = call("POST", lead, "/v1/admin/members", member);
    assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
    assertThat(json.readTree(added.body()).get("learners").get(0).get("id").asText())
        .isEqualTo("n4");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> call("POST", lead, "/v1/admin/members/n4/promote", null).statusCode() == 200);
    HttpResponse<String> removed = call("DELETE", lead, "/v1/admin/members/" + lost, null);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    JsonNode members = json.readTree(call("GET", lead, "/v1/admin/members", null).body());
    List<String> voters = new ArrayList<>();
    members.get("voters").forEach(v -> voters.add(v.get("id").asText()));
    assertThat(voters).containsExactlyInAnyOrder("n4", lead.config().id(), follower.config().id());
    assertThat(members.get("learners")).isEmpty();
    assertThat(Files.readString(dir.resolve(follower.config().id()).resolve("members.addresses")))
        .contains("n4=peer=127.0.0.1:" + ports.get("n4")[0]);

    KvClient viaNew = KvClient.http(KvClientOptions.of(List.of("127.0.0.1:" + ports.get("n4")[1])));
    clients.add(viaNew);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(joiner.status().appliedIndex()).isPositive());
    for (int i = 0; i < 20; i++) {
      assertThat(viaNew.get("k" + i)).contains("v" + i);
    }

    // Losing one more original member leaves two of the three voters: still a majority.
    nodes.remove(lead.config().id()).close();
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().isPresent());
    viaNew.put("after", "yes");
    assertThat(viaNew.get("after")).contains("yes");
  }
}
