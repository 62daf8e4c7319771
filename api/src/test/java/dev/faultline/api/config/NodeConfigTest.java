package dev.faultline.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.api.NodeAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {

  @TempDir Path dir;

  static Path example() {
    return Path.of(System.getProperty("user.dir")).resolve("../config/faultline.example.yml");
  }

  @Test
  void exampleFileNamesEveryOptionWithItsDefault() throws Exception {
    Map<String, ?> keys = ConfigSources.readFile(example());
    assertThat(keys.keySet()).containsExactlyInAnyOrderElementsOf(ConfigSources.optionNames());
    NodeConfig fromFile = ConfigSources.load(List.of("--config", example().toString()), Map.of());
    assertThat(fromFile).isEqualTo(NodeConfig.defaults("n1"));
  }

  @Test
  void flagsWinOverEnvironmentOverFileOverDefaults() throws Exception {
    Path file = dir.resolve("n.yml");
    Files.writeString(file, "id: n1\ntick-ms: 10\nelection-ticks: 20\nshards: 4\n");
    NodeConfig c =
        ConfigSources.load(
            List.of("--config", file.toString(), "--tick-ms", "30", "--data=/tmp/x"),
            Map.of("FAULTLINE_TICK_MS", "20", "FAULTLINE_ELECTION_TICKS", "30"));
    assertThat(c.tickMs()).isEqualTo(30);
    assertThat(c.electionTicks()).isEqualTo(30);
    assertThat(c.shards()).isEqualTo(4);
    assertThat(c.heartbeatTicks()).isEqualTo(2);
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void contractCommandLineParses() {
    NodeConfig c =
        ConfigSources.load(
            List.of(
                "--id",
                "n2",
                "--data",
                "d",
                "--http",
                "10.0.0.2:8080",
                "--grpc",
                "10.0.0.2:9090",
                "--peer",
                "10.0.0.2:7070",
                "--peers",
                "n1=10.0.0.1:7070,n2=10.0.0.2:7070",
                "--bug",
                "stale-read",
                "--bug",
                "ack-before-commit"),
            Map.of());
    assertThat(c.id()).isEqualTo("n2");
    assertThat(c.bugs()).containsExactly("stale-read", "ack-before-commit");
    assertThat(c.bugSet()).containsExactlyInAnyOrder(NodeBug.STALE_READ, NodeBug.ACK_BEFORE_COMMIT);
    assertThat(c.peers()).extracting(NodeAddress::id).containsExactly("n1", "n2");
    assertThat(c.peer("n1"))
        .contains(new NodeAddress("n1", "10.0.0.1:7070", "10.0.0.1:8080", "10.0.0.1:9090"));
  }

  @Test
  void peersMayNameClientAddressesAsTextOrYaml() throws Exception {
    List<NodeAddress> text =
        PeerList.parseText(
            "n1=peer=h1:7070;http=h1:8081;grpc=h1:9091, n2=http://h2:8082;grpc=h2:9092;peer=h2:7072",
            "test");
    assertThat(text)
        .containsExactly(
            new NodeAddress("n1", "h1:7070", "h1:8081", "h1:9091"),
            new NodeAddress("n2", "h2:7072", "h2:8082", "h2:9092"));
    Path file = dir.resolve("p.yml");
    Files.writeString(
        file,
        "id: n1\npeers:\n  - {id: n1, peer: 'h1:7070', http: 'h1:8081'}\n  - {id: n2, peer: 'h2:7070'}\n");
    NodeConfig c = ConfigSources.load(List.of("--config", file.toString()), Map.of());
    assertThat(c.peer("n1").orElseThrow().http()).isEqualTo("h1:8081");
    assertThat(c.peer("n2").orElseThrow().grpc()).isEqualTo("h2:9090");
  }

  @Test
  void anFsyncDelayIsOffByDefaultAndBoundedWhenGiven() {
    assertThat(NodeConfig.defaults("n1").fsyncDelayMicros()).isZero();
    NodeConfig c =
        ConfigSources.load(List.of("--id", "n1", "--fsync-delay-micros", "400"), Map.of());
    assertThat(c.fsyncDelayMicros()).isEqualTo(400);
    assertThatThrownBy(
            () -> ConfigSources.load(List.of("--id", "n1", "--fsync-delay-micros", "-1"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fsync-delay-micros");
  }

  @Test
  void theLargestWriteMustFitOneLogEntryAndOneMessageToAFollower() {
    // 8 MiB values: a compare-and-set of two is over the log's 16 MiB entry.
    assertThatThrownBy(() -> sized(8 << 20, 32 << 20, 64 << 20))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'max-value-bytes' is 8388608")
        .hasMessageContaining("at most 8387584 with max-key-bytes 1024");
    // 7 MiB values fit a log entry, but a compare-and-set of two does not fit an 8 MiB message.
    assertThatThrownBy(() -> sized(7 << 20, 16 << 20, 8 << 20))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'max-peer-message-bytes' is 8388608")
        .hasMessageContaining(">= " + (2L * (7 << 20) + 1024 + 1024 + 4096));
    assertThat(sized(8387584, 16 << 20, 32 << 20).maxValueBytes()).isEqualTo(8387584);
  }

  /** Node n1 with these value, client message and peer message limits. */
  private static NodeConfig sized(int value, int grpcMessage, int peerMessage) {
    return ConfigSources.load(
        List.of(
            "--id",
            "n1",
            "--max-value-bytes",
            "" + value,
            "--max-grpc-message-bytes",
            "" + grpcMessage,
            "--max-peer-message-bytes",
            "" + peerMessage),
        Map.of());
  }

  @Test
  void errorsNameTheOptionAndWhereItCameFrom() throws Exception {
    Path file = dir.resolve("bad.yml");
    Files.writeString(file, "id: n1\n\ntikms: 3\n");
    assertThatThrownBy(() -> ConfigSources.load(List.of("--config", file.toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ":3:")
        .hasMessageContaining("unknown option 'tikms'");
    assertThatThrownBy(
            () -> ConfigSources.load(List.of("--id", "n1"), Map.of("FAULTLINE_TICK_MS", "fast")))
        .hasMessageContaining("environment variable FAULTLINE_TICK_MS")
        .hasMessageContaining("'tick-ms'");
    assertThatThrownBy(() -> ConfigSources.load(List.of("--id", "n1", "--shards", "3"), Map.of()))
        .hasMessageContaining("'shards' is 3");
    assertThatThrownBy(() -> ConfigSources.load(List.of("--http", "nohost"), Map.of()))
        .hasMessageContaining("http-address");
    assertThatThrownBy(() -> ConfigSources.load(List.of("--tick-ms", "5"), Map.of()))
        .hasMessageContaining("'id' is required");
    assertThatThrownBy(
            () -> ConfigSources.load(List.of("--id", "n3", "--peers", "n1=h:1,n2=h:2"), Map.of()))
        .hasMessageContaining("does not list this node 'n3'");
    assertThatThrownBy(() -> ConfigSources.load(List.of("--id", "n1", "--nope", "1"), Map.of()))
        .hasMessageContaining("unknown option 'nope'");
  }

  @Test
  void derivedLimitsFollowTheOptions() {
    NodeConfig c =
        ConfigSources.fromOptions(
            Map.of("id", "n1", "max-key-bytes", 10, "request-timeout-ms", 70));
    assertThat(c.limits().maxKeyBytes()).isEqualTo(10);
    assertThat(c.limits().requestTimeout().toMillis()).isEqualTo(70);
    assertThat(c.dataDir()).isEqualTo(Path.of("faultline-data/n1"));
  }

  @Test
  void unknownBugIsRefusedInOneLineListingTheKnownBugs() {
    assertThatThrownBy(
            () -> ConfigSources.load(List.of("--id", "n1", "--bug", "stale-reads"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("\n")
        .hasMessageContaining("unknown bug 'stale-reads'")
        .hasMessageContaining("stale-read, ack-before-commit, lost-rebuild-writes");
  }

  @Test
  void everyRaftCoreBugIsANodeBug() {
    assertThat(
            java.util.Arrays.stream(NodeBug.values())
                .map(NodeBug::raftBug)
                .filter(java.util.Objects::nonNull))
        .containsExactlyInAnyOrder(dev.faultline.raft.DeliberateBug.values());
    for (dev.faultline.raft.DeliberateBug b : dev.faultline.raft.DeliberateBug.values()) {
      assertThat(NodeBug.fromName(b.cliName()).raftBug()).isEqualTo(b);
    }
  }

  @Test
  void joinNeedsTheCurrentMembersButNotThisNodeInPeers() {
    NodeConfig joining =
        ConfigSources.load(
            List.of("--id", "n4", "--join", "--peers", "n1=127.0.0.1:7070,n2=127.0.0.1:7071"),
            Map.of());
    assertThat(joining.join()).isTrue();
    assertThat(joining.peers()).extracting(NodeAddress::id).containsExactly("n1", "n2");
    assertThatThrownBy(() -> ConfigSources.load(List.of("--id", "n4", "--join"), Map.of()))
        .hasMessageContaining("option 'join' needs option 'peers'");
    assertThatThrownBy(
            () ->
                ConfigSources.load(List.of("--id", "n4", "--peers", "n1=127.0.0.1:7070"), Map.of()))
        .hasMessageContaining("does not list this node 'n4'");
  }
}
