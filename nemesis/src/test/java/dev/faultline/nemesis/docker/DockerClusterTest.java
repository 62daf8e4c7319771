package dev.faultline.nemesis.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.nemesis.cluster.NodeState.Phase;
import dev.faultline.nemesis.net.Grudges;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node cluster in containers built from the project's Dockerfile: it elects a leader,
 * survives the isolation of one node through Toxiproxy, and is killed, paused and restarted through
 * the Docker API. Skips when no Docker engine answers.
 */
class DockerClusterTest {

  static final List<String> IDS = List.of("n1", "n2", "n3");
  static final Pattern LEADER = Pattern.compile("\"leaderId\"\\s*:\\s*\"([^\"]+)\"");

  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  static Path root() {
    Path root = Path.of(System.getProperty("faultline.root", ".")).toAbsolutePath().normalize();
    return Files.exists(root.resolve("Dockerfile")) ? root : root.getParent();
  }

  Optional<String> leaderSeenBy(DockerCluster cluster, String id) {
    try {
      var response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + cluster.httpEndpoint(id) + "/v1/cluster"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = LEADER.matcher(response.body());
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  @Test
  void withoutDockerCreateSaysWhatIsMissing() {
    Optional<String> reason = DockerCluster.unavailableReason();
    Assumptions.assumeTrue(reason.isPresent(), "a Docker engine is present; nothing to refuse");
    assertThatThrownBy(
            () ->
                DockerCluster.create(
                    DockerClusterOptions.of(IDS, NodeImage.fromDockerfile(root()), dir)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("--cluster docker needs Docker: no Docker engine answers");
  }

  @Test
  void nodeImageNeedsTheProjectsDockerfile() {
    assertThatThrownBy(() -> NodeImage.fromDockerfile(dir))
        .hasMessageContaining("no Dockerfile at " + dir.resolve("Dockerfile"));
    assertThat(NodeImage.fromDockerfile(root())).isInstanceOf(NodeImage.FromDockerfile.class);
  }

  @Test
  void anImageBuiltFromThePrebuiltJarIsUsedAgainWithoutABuild() throws Exception {
    Optional<String> reason = DockerCluster.unavailableReason();
    Assumptions.assumeTrue(reason.isEmpty(), () -> "skipped: " + reason.orElse(""));
    Assumptions.assumeTrue(
        Files.isRegularFile(root().resolve(NodeImage.PREBUILT_JAR)),
        "no " + NodeImage.PREBUILT_JAR + " (mvn package): the image would be built from sources");
    NodeImage image = NodeImage.fromDockerfile(root());
    assertThat(image.resolve().get()).isEqualTo(NodeImage.TESTBED_IMAGE);

    var again = image.resolve();
    assertThat(again.isDone()).as("the second resolve needs no build").isTrue();
    assertThat(again.get()).isEqualTo(NodeImage.TESTBED_IMAGE);
  }

  @Test
  void containerisedClusterElectsSurvivesIsolationAndObeysTheDockerApi() throws Exception {
    Optional<String> reason = DockerCluster.unavailableReason();
    Assumptions.assumeTrue(reason.isEmpty(), () -> "skipped: " + reason.orElse(""));
    try (DockerCluster cluster =
        DockerCluster.create(
            new DockerClusterOptions(
                IDS,
                NodeImage.fromDockerfile(root()),
                dir,
                // The node JVM flags `faultline test --cluster docker` uses (DockerDeployment).
                java.util.Map.of(
                    "FAULTLINE_TICK_MS",
                    "20",
                    "JAVA_TOOL_OPTIONS",
                    "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k"
                        + " -XX:+ExitOnOutOfMemoryError"),
                Duration.ofMinutes(10)))) {
      cluster.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> IDS.stream().allMatch(id -> leaderSeenBy(cluster, id).isPresent()));

      cluster.net().partition(Grudges.isolate(IDS, "n1"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  leaderSeenBy(cluster, "n2").filter(l -> !l.equals("n1")).isPresent()
                      && leaderSeenBy(cluster, "n2").equals(leaderSeenBy(cluster, "n3")));
      cluster.net().heal();

      cluster.kill("n3");
      assertThat(cluster.state("n3").phase()).isEqualTo(Phase.KILLED);
      cluster.start("n3");
      cluster.pause("n2");
      assertThat(cluster.state("n2").phase()).isEqualTo(Phase.PAUSED);
      cluster.resume("n2");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> IDS.stream().allMatch(id -> leaderSeenBy(cluster, id).isPresent()));

      cluster.pause("n1");
      assertThat(
              cluster.stopAll(
                  java.util.Map.of(
                      "n1", Duration.ofSeconds(3),
                      "n2", Duration.ofSeconds(3),
                      "n3", Duration.ofSeconds(3))))
          .isEmpty();
      assertThat(IDS).allSatisfy(id -> assertThat(cluster.state(id).isUp()).isFalse());

      cluster.collectLogs(dir.resolve("logs"));
      assertThat(dir.resolve("logs/n1/stdout.log")).isNotEmptyFile();
      assertThat(Files.list(cluster.dataDir("n1").resolve("wal"))).isNotEmpty();
    }
  }
}
