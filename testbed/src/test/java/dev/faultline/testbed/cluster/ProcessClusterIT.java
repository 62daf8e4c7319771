package dev.faultline.testbed.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.client.KvException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real 3-node cluster of {@code faultline node} processes from the packaged jar. */
@Order(6)
class ProcessClusterIT {

  @TempDir Path dir;
  ProcessCluster cluster;
  final List<KvClient> clients = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    clients.forEach(KvClient::close);
    if (cluster != null) {
      cluster.down(Duration.ofSeconds(5));
    }
  }

  KvClient client() {
    KvClient c =
        KvClient.http(
            KvClientOptions.of(
                cluster.state().nodes().stream().map(ClusterState.Node::http).toList()));
    clients.add(c);
    return c;
  }

  String leader() throws Exception {
    // Generous: under a load of 50 on two cores, 30 s passed without the nodes agreeing.
    return cluster.awaitLeader(Duration.ofSeconds(120));
  }

  /** Writes distinct keys from a few threads until stopped; returns the acknowledged keys. */
  final class WriteLoad implements AutoCloseable {
    final Set<String> acked = ConcurrentHashMap.newKeySet();
    final AtomicBoolean stop = new AtomicBoolean();
    final List<Thread> threads = new ArrayList<>();

    WriteLoad(int writers) {
      for (int w = 0; w < writers; w++) {
        KvClient c = client().withCallTimeout(Duration.ofSeconds(2));
        int id = w;
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; i < 100_000 && !stop.get(); i++) {
                    String key = "w" + id + "-" + i;
                    try {
                      c.put(key, "v" + i);
                      acked.add(key);
                    } catch (KvException e) {
                      // not acknowledged (failed or unknown): not required to be present
                    }
                  }
                });
        threads.add(t);
        t.start();
      }
    }

    void awaitAcked(int atLeast) {
      // Generous: under a load of 45 on two cores a cluster acknowledged under 10 writes a second.
      await().atMost(Duration.ofSeconds(180)).until(() -> acked.size() >= atLeast);
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(30_000);
      }
    }
  }

  void assertAllPresent(Set<String> keys) {
    KvClient c = client();
    for (String k : keys) {
      String expected = "v" + k.substring(k.indexOf('-') + 1);
      assertThat(c.get(k)).as("acknowledged write %s", k).contains(expected);
    }
  }

  @Test
  void leaderKilledMidLoadWritesContinueAndEveryAcknowledgedWriteSurvivesRestarts()
      throws Exception {
    cluster = JarCluster.up(dir, Map.of("tick-ms", "20"), List.of());
    String first = leader();
    Set<String> acked;
    try (WriteLoad load = new WriteLoad(4)) {
      load.awaitAcked(200);
      cluster.expectDown(first, true);
      cluster.kill(first);
      int before = load.acked.size();
      load.awaitAcked(before + 200); // writes continue on the new leader
      String second = leader();
      assertThat(second).isNotEqualTo(first);
      cluster.start(first);
      cluster.expectDown(first, false);
      load.awaitAcked(load.acked.size() + 100);
      load.close();
      acked = Set.copyOf(load.acked);
    }
    String leaderHttp = cluster.state().node(leader()).http();
    long commit =
        JarCluster.clusterJson(leaderHttp).path("members").findValues("commitIndex").stream()
            .filter(JsonNode::isNumber)
            .mapToLong(JsonNode::asLong)
            .max()
            .orElse(0);
    String restartedHttp = cluster.state().node(first).http();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> applied(restartedHttp, first) >= commit);
    assertAllPresent(acked);

    for (String id : cluster.state().ids()) {
      cluster.kill(id);
    }
    for (String id : cluster.state().ids()) {
      cluster.start(id);
    }
    leader();
    assertAllPresent(acked);
  }

  static long applied(String http, String id) throws Exception {
    for (JsonNode m : JarCluster.clusterJson(http).path("members")) {
      if (m.path("id").asText().equals(id) && m.path("appliedIndex").isNumber()) {
        return m.path("appliedIndex").asLong();
      }
    }
    return -1;
  }

  @Test
  void followersRedirectToTheLeaderAndFollowingTheRedirectLands() throws Exception {
    cluster = JarCluster.up(dir, Map.of(), List.of());
    String leader = leader();
    String leaderHttp = cluster.state().node(leader).http();
    String follower =
        cluster.state().ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    String followerHttp = cluster.state().node(follower).http();

    HttpResponse<String> redirect =
        JarCluster.HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + followerHttp + "/v1/kv/r1?x=1"))
                .PUT(HttpRequest.BodyPublishers.ofString("one"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(redirect.statusCode()).isEqualTo(307);
    assertThat(redirect.headers().firstValue("Location"))
        .contains("http://" + leaderHttp + "/v1/kv/r1?x=1");

    HttpClient following =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpResponse<String> put =
        following.send(
            HttpRequest.newBuilder(URI.create("http://" + followerHttp + "/v1/kv/r1"))
                .PUT(HttpRequest.BodyPublishers.ofString("one"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(204);
    HttpResponse<String> get =
        following.send(
            HttpRequest.newBuilder(URI.create("http://" + followerHttp + "/v1/kv/r1")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("one");
  }

  @Test
  void followerFarBehindCatchesUpByChunkedSnapshot() throws Exception {
    cluster = JarCluster.up(dir, Map.of("snapshot-interval", "100"), List.of());
    String leader = leader();
    String behind =
        cluster.state().ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    cluster.expectDown(behind, true);
    assertThat(cluster.stop(behind, Duration.ofSeconds(10))).isTrue();

    KvClient c = client();
    String value = "x".repeat(4096);
    for (int i = 0; i < 800; i++) { // 3 MiB of values: several 1 MiB snapshot chunks
      c.put("big-" + i, value);
    }
    cluster.start(behind);
    cluster.expectDown(behind, false);
    String behindHttp = cluster.state().node(behind).http();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> JarCluster.metric(behindHttp, "raft_snapshots_installed_total") >= 1);
    long commit = applied(cluster.state().node(leader).http(), leader);
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> applied(behindHttp, behind) >= commit);
    assertThat(c.get("big-799")).isEqualTo(Optional.of(value));
  }
}
