package dev.faultline.testbed.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower of a real cluster is killed, its data removed, and started again with the same command
 * line: it must not linger alive-but-dead. It learns from the leader that it lost entries it had
 * acknowledged, says so in one line, and its process exits; the others keep serving.
 */
@Order(11)
class LostStateIT {

  @TempDir Path dir;
  ProcessCluster cluster;
  KvClient client;

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.down(Duration.ofSeconds(5));
    }
  }

  /** Deletes everything in {@code nodeDir} but the log files, as `rm -rf` of the data would. */
  static void wipeData(Path nodeDir) throws IOException {
    try (Stream<Path> all = Files.walk(nodeDir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(nodeDir) && !p.getFileName().toString().endsWith(".log")) {
          Files.delete(p);
        }
      }
    }
  }

  /** The index a node reports having applied, or -1 while it does not answer. */
  static long applied(ClusterState.Node node) {
    try {
      for (var m : JarCluster.clusterJson(node.http()).path("members")) {
        if (m.path("id").asText().equals(node.id()) && m.path("appliedIndex").isNumber()) {
          return m.path("appliedIndex").asLong();
        }
      }
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -1;
  }

  @Test
  void followerRestartedWithWipedDataStopsWithTheReasonInsteadOfLingering() throws Exception {
    cluster = JarCluster.up(dir.resolve("c"), Map.of(), List.of());
    client =
        KvClient.http(
            KvClientOptions.of(
                cluster.state().nodes().stream().map(ClusterState.Node::http).toList()));
    for (int i = 0; i < 50; i++) {
      client.put("k" + i, "v" + i);
    }
    String leader = cluster.awaitLeader(Duration.ofSeconds(30));
    String follower =
        cluster.state().ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    ClusterState.Node node = cluster.state().node(follower);
    Path nodeDir = Path.of(node.dataDir());
    // the follower has acknowledged the writes before it is killed
    await().atMost(Duration.ofSeconds(30)).until(() -> applied(node) >= 51);

    cluster.kill(follower);
    wipeData(nodeDir);
    cluster.start(follower);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> cluster.state().node(follower).process().isEmpty());
    String out = Files.readString(nodeDir.resolve("stdout.log"));
    assertThat(out)
        .contains("faultline node " + follower + " stopped: node " + follower)
        .contains("lost acknowledged log entries")
        .contains("its log ends at index 0");
    // the majority goes on serving, and nothing acknowledged is lost
    client.put("after", "x");
    for (int i = 0; i < 50; i++) {
      assertThat(client.get("k" + i)).contains("v" + i);
    }
  }
}
