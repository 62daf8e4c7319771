package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.faultline.nemesis.docker.DockerCluster;
import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.testbed.run.Backend;
import dev.faultline.testbed.run.TestOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code faultline test}'s backend options (TLS, Toxiproxy, Docker), without running a cluster. */
class TestCommandBackendTest {
  @TempDir Path store;

  private static TestOptions parse(String... args) {
    CommandLine cl = Faultline.commandLine();
    CommandLine.ParseResult result = cl.parseArgs(args);
    TestCommand test = (TestCommand) result.subcommand().commandSpec().userObject();
    return test.options(7);
  }

  @Test
  void withoutTlsTheNodesRunPlaintextAndTestJsonSaysSo() {
    TestOptions o = parse("test");

    assertThat(o.backend().tls()).isFalse();
    assertThat(o.toMap()).containsEntry("tls", false);
  }

  @Test
  void tlsIsRecordedInTheOptionsOfTestJson() {
    TestOptions o = parse("test", "--tls");

    assertThat(o.backend().tls()).isTrue();
    assertThat(o.toMap()).containsEntry("tls", true);
    assertThat(o.withSeed(8).backend().tls()).isTrue();
  }

  @Test
  void linkFaultsNeedToxiproxy() {
    assertThatThrownBy(() -> parse("test", "--nemesis", "latency"))
        .hasMessageContaining("--nemesis latency")
        .hasMessageContaining("--net toxiproxy");
    assertThatThrownBy(() -> parse("test", "--nemesis", "partition,flaky"))
        .hasMessageContaining("--nemesis flaky");
  }

  @Test
  void toxiproxyAllowsLinkFaultsAndIsRecorded() {
    TestOptions o =
        parse(
            "test",
            "--net",
            "toxiproxy",
            "--toxiproxy",
            "http://127.0.0.1:9474",
            "--nemesis",
            "partition,latency,bandwidth,flaky");

    assertThat(o.nemesis().kinds())
        .containsExactly(
            FaultKind.PARTITION, FaultKind.LATENCY, FaultKind.BANDWIDTH, FaultKind.FLAKY);
    assertThat(o.backend().proxiedLinks()).isTrue();
    assertThat(o.backend().needsSandbox()).isFalse();
    assertThat(o.toMap())
        .containsEntry("net", "toxiproxy")
        .containsEntry("toxiproxy", "http://127.0.0.1:9474")
        .containsEntry("cluster", "local");
  }

  @Test
  void dockerProxiesItsLinksAndRefusesTls() {
    TestOptions o = parse("test", "--cluster", "docker", "--nemesis", "kill,latency");

    assertThat(o.backend().cluster()).isEqualTo(Backend.Cluster.DOCKER);
    assertThat(o.backend().proxiedLinks()).isTrue();
    assertThat(o.backend().needsSandbox()).isFalse();
    assertThatThrownBy(() -> parse("test", "--cluster", "docker", "--tls"))
        .hasMessageContaining("--tls with --cluster docker");
    assertThatThrownBy(() -> parse("test", "--cluster", "docker", "--nemesis", "kill,clock"))
        .hasMessageContaining("includes clock");
  }

  @Test
  void badBackendValuesNameTheOption() {
    assertThatThrownBy(() -> parse("test", "--net", "wifi")).hasMessageStartingWith("--net wifi");
    assertThatThrownBy(() -> parse("test", "--cluster", "k8s"))
        .hasMessageStartingWith("--cluster k8s");
    assertThatThrownBy(() -> parse("test", "--net", "toxiproxy", "--toxiproxy", "tcp://x:1"))
        .hasMessageStartingWith("--toxiproxy tcp://x:1");
    assertThatThrownBy(
            () -> parse("test", "--net", "toxiproxy", "--nodes", "1", "--nemesis", "kill"))
        .hasMessageContaining("--nodes 1");
  }

  @Test
  void anUnreachableToxiproxyServerExitsThreeWithOneLineSayingToStartIt() throws Exception {
    int closed;
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    var err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code =
          Faultline.commandLine()
              .execute(
                  "test",
                  "--net",
                  "toxiproxy",
                  "--toxiproxy",
                  "http://127.0.0.1:" + closed,
                  "--nemesis",
                  "latency",
                  "--store",
                  store.toString());
    } finally {
      System.setErr(old);
    }

    assertThat(code).isEqualTo(3);
    String text = err.toString(StandardCharsets.UTF_8).strip();
    assertThat(text.lines()).hasSize(1);
    assertThat(text).contains("toxiproxy-server").contains("127.0.0.1:" + closed);
    assertThat(store).isEmptyDirectory();
  }

  @Test
  void withoutDockerTheDockerClusterExitsThreeWithTheReason() throws Exception {
    assumeTrue(
        DockerCluster.unavailableReason().isPresent(),
        "a Docker engine answers here; the unavailable path cannot be shown");
    var err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code =
          Faultline.commandLine()
              .execute("test", "--cluster", "docker", "--store", store.toString());
    } finally {
      System.setErr(old);
    }

    assertThat(code).isEqualTo(3);
    String text = err.toString(StandardCharsets.UTF_8).strip();
    // One line, asked before Testcontainers (which would log its own multi-line error first).
    assertThat(text.lines()).hasSize(1);
    assertThat(text)
        .contains("--cluster docker needs a Docker engine: ")
        .contains("no Docker engine");
    assertThat(store).isEmptyDirectory();
  }
}
