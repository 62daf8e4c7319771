package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.api.security.ClusterPki;
import dev.faultline.nemesis.net.NodeAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeCommandLineTest {
  private static final List<NodeAddress> NODES =
      List.of(new NodeAddress("n1", 1, "10.77.0.1"), new NodeAddress("n2", 2, "10.77.0.2"));

  @TempDir Path dir;

  @Test
  void plaintextNodesAcknowledgeInsecureAndBugs() {
    var line = new NodeCommandLine(List.of("prog"), dir, Optional.of("stale-read"));

    List<String> argv = line.spec(NODES.get(0), NODES).argv();

    assertThat(argv).contains("--insecure").doesNotContain("--tls-cert");
    assertThat(argv).containsSubsequence("--allow-bugs", "--bug", "stale-read");
  }

  @Test
  void tlsNodesGetTheirOwnCertificateAndTheTokenFileInsteadOfInsecure() throws Exception {
    ClusterPki pki =
        ClusterPki.generate(
            dir.resolve("tls"),
            List.of("n1", "n2"),
            List.of("10.77.0.1", "10.77.0.2"),
            Duration.ofDays(1));
    var line =
        new NodeCommandLine(List.of("prog"), dir, Optional.of("stale-read"), Optional.of(pki));

    List<String> argv = line.spec(NODES.get(1), NODES).argv();

    assertThat(argv).doesNotContain("--insecure");
    assertThat(argv)
        .containsSubsequence("--tls-cert", pki.node("n2").cert().toString())
        .containsSubsequence("--tls-key", pki.node("n2").key().toString())
        .containsSubsequence("--tls-ca", pki.caFile().toString())
        .containsSubsequence("--auth-tokens", pki.tokenFile().toString())
        .containsSubsequence("--allow-bugs", "--bug", "stale-read");
  }

  @Test
  void withToxiproxyEachNodeReachesEveryPeerThroughTheProxyOfThatLink() {
    var network = dev.faultline.nemesis.net.LoopbackNetwork.create(List.of("n1", "n2", "n3"));
    var topology = LocalDeployment.topology(network);
    var line =
        new NodeCommandLine(List.of("prog"), dir, Optional.empty()).withPeers(topology::peersLine);

    List<String> argv = line.spec(network.address("n2"), network.addresses()).argv();

    assertThat(argv).containsSubsequence("--peer", "127.77.0.2:7070");
    String peers = argv.get(argv.indexOf("--peers") + 1);
    // n2 is itself at its own address; n1 through proxy n2-to-n1 (port 20000 + 100*2 + 1).
    assertThat(peers.split(","))
        .containsExactly(
            "n1=peer=127.0.0.1:20201;http=127.77.0.1:8080;grpc=127.77.0.1:9090",
            "n2=peer=127.77.0.2:7070;http=127.77.0.2:8080;grpc=127.77.0.2:9090",
            "n3=peer=127.0.0.1:20203;http=127.77.0.3:8080;grpc=127.77.0.3:9090");
    assertThat(topology.proxy("n2", "n1").upstream()).isEqualTo("127.77.0.1:7070");
  }

  @Test
  void theProgramIsTheJarHoldingTheMainClassNotTheRunnersOwnJar() throws Exception {
    Path runnerJar = jar(dir.resolve("faultline-runner.jar"), "dev/faultline/testbed/run/X.class");
    Path shaded = jar(dir.resolve("faultline.jar"), "dev/faultline/testbed/Faultline.class");

    try (var onlyRunner = new URLClassLoader(new URL[] {runnerJar.toUri().toURL()}, null);
        var both =
            new URLClassLoader(
                new URL[] {runnerJar.toUri().toURL(), shaded.toUri().toURL()}, null)) {
      assertThat(NodeCommandLine.jarOfMainClass(onlyRunner)).isEmpty();
      assertThat(NodeCommandLine.jarOfMainClass(both)).contains(shaded.toAbsolutePath());
    }
  }

  private static Path jar(Path path, String entry) throws Exception {
    try (var out = new JarOutputStream(Files.newOutputStream(path))) {
      out.putNextEntry(new JarEntry(entry));
      out.write(new byte[] {0});
      out.closeEntry();
    }
    return path;
  }
}
