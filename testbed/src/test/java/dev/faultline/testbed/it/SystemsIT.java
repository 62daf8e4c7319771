package dev.faultline.testbed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.nemesis.net.NetworkSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Other people's systems under {@code faultline test --db}: a short real campaign each (three nodes
 * in the network sandbox), the example primary-backup node caught, and our own node started as a
 * plain process through {@code --db process}. A system whose Debian package is missing and cannot
 * be installed here is skipped with the run's own one-line reason. The long matrix is {@code
 * ci/campaign.sh -m systems}.
 */
@Order(4)
class SystemsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  // A bound against a hung run, generous for a heavily loaded machine (see TestCommandIT).
  private static final long RUN_BOUND_SECONDS = 600;
  private static final FaultlineJar JAR = FaultlineJar.locate();
  private static String skipReason;

  @TempDir Path store;

  @BeforeAll
  static void findJar() throws Exception {
    Optional<String> jar = JAR.unusable();
    skipReason =
        jar.map(j -> j + ", so no real cluster can run")
            .or(
                () ->
                    NetworkSandbox.unavailableReason()
                        .map(w -> "network sandbox unavailable: " + w))
            .orElse(null);
  }

  @BeforeEach
  void requireARealCluster() {
    assumeTrue(skipReason == null, skipReason);
  }

  private FaultlineJar.Result test(String... options) throws Exception {
    var args =
        new ArrayList<>(
            List.of(
                "test",
                "--store",
                store.toString(),
                "--nodes",
                "3",
                "--time-limit",
                "15",
                "--interval",
                "4",
                "--concurrency",
                "6",
                "--seed",
                "7"));
    args.addAll(List.of(options));
    FaultlineJar.Result r = JAR.run(store, RUN_BOUND_SECONDS, args.toArray(String[]::new));
    String missing =
        r.output()
            .lines()
            .filter(l -> l.contains("install the Debian package") || l.contains("apt-get install"))
            .findFirst()
            .orElse(null);
    assumeTrue(r.code() != 3 || missing == null, missing);
    return r;
  }

  private JsonNode results() throws Exception {
    return JSON.readTree(store.resolve("latest").resolve("results.json").toFile());
  }

  @Test
  void etcdWithLinearizableReadsIsValidUnderPartitionsAndKills() throws Exception {
    FaultlineJar.Result r = test("--db", "etcd", "--nemesis", "partition,kill");

    assertThat(r.code()).as(r.output()).isZero();
    JsonNode results = results();
    assertThat(results.path("system").path("name").asText()).isEqualTo("etcd");
    assertThat(results.path("system").path("version").asText()).matches("3\\.4\\.\\d+.*");
    assertThat(results.path("system").path("options").path("reads").asText())
        .isEqualTo("linearizable");
    assertThat(results.path("faults").size()).isPositive();
    JsonNode test = JSON.readTree(store.resolve("latest").resolve("test.json").toFile());
    assertThat(test.path("options").path("db").asText()).isEqualTo("etcd");
  }

  @Test
  void zookeeperEnsembleRunsToAVerdictUnderPartitions() throws Exception {
    FaultlineJar.Result r =
        test("--db", "zookeeper", "--db-option", "reads=sync", "--nemesis", "partition");

    assertThat(r.code()).as(r.output()).isIn(0, 1);
    JsonNode results = results();
    assertThat(results.path("system").path("name").asText()).isEqualTo("zookeeper");
    assertThat(results.path("ops").path("total").asInt()).isPositive();
    assertThat(store.resolve("latest").resolve("nodes").resolve("n1").resolve("zoo.cfg"))
        .isRegularFile();
  }

  @Test
  void redisWithSentinelsRunsToAVerdictUnderKills() throws Exception {
    FaultlineJar.Result r = test("--db", "redis", "--db-option", "wait=1", "--nemesis", "kill");

    assertThat(r.code()).as(r.output()).isIn(0, 1);
    JsonNode results = results();
    assertThat(results.path("system").path("options").path("wait").asText()).isEqualTo("1");
    assertThat(results.path("ops").path("total").asInt()).isPositive();
    Path nodes = store.resolve("latest").resolve("nodes");
    int replicas = 0;
    for (String id : List.of("n1", "n2", "n3")) {
      assertThat(nodes.resolve(id).resolve("sentinel.conf")).isRegularFile();
      // A failover rewrites the configurations: whoever is primary at the end has no replicaof.
      if (Files.readString(nodes.resolve(id).resolve("redis.conf")).contains("replicaof")) {
        replicas++;
      }
    }
    assertThat(replicas).as("nodes whose kept redis.conf follows a primary").isPositive();
  }

  @Test
  void theExamplePrimaryBackupNodeIsCaughtWhenItsPrimaryIsCutOff() throws Exception {
    Path node = examples().resolve("primary-backup").resolve("node.py");
    assumeTrue(Files.isRegularFile(node), "the example is not at " + node);
    FaultlineJar.Result r =
        test(
            "--db",
            "process",
            "--db-cmd",
            "python3 "
                + node
                + " --id {id} --host {host} --http-port {http_port} --peer-port {peer_port}"
                + " --peers {peers} --data {data_dir}",
            "--nemesis",
            "partition-leader");

    assertThat(r.code()).as(r.output()).isEqualTo(1);
    JsonNode results = results();
    assertThat(results.path("verdict").asText()).isEqualTo("invalid");
    assertThat(results.path("system").path("version").asText()).startsWith("node.py sha256:");
  }

  @Test
  void ourOwnNodeStartedAsAPlainProcessIsValid() throws Exception {
    FaultlineJar.Result r =
        test(
            "--db",
            "process",
            "--db-cmd",
            "{faultline} node --id {id} --http {host}:{http_port} --grpc {host}:{grpc_port}"
                + " --peer {host}:{peer_port} --peers {peers} --data {data_dir} --insecure",
            "--nemesis",
            "partition,kill");

    assertThat(r.code()).as(r.output()).isZero();
    assertThat(results().path("system").path("name").asText()).isEqualTo("process");
    assertThat(store.resolve("latest").resolve("nodes").resolve("n1").resolve("command.txt"))
        .content()
        .contains("node --id n1");
  }

  private static Path examples() {
    return Path.of(System.getProperty("basedir", "."))
        .toAbsolutePath()
        .getParent()
        .resolve("examples");
  }
}
