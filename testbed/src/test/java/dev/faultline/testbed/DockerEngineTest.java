package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cluster docker} finds out in one line that no engine listens, before Testcontainers is
 * asked (and prints its own multi-line error). The engines here are sockets the test opens.
 */
class DockerEngineTest {
  @TempDir Path tmp;

  @Test
  void aDockerHostSocketThatDoesNotExistIsNamedInOneLine() {
    Path none = tmp.resolve("none.sock");
    String reason =
        DockerEngine.absence(Map.of("DOCKER_HOST", "unix://" + none), tmp).orElseThrow();
    assertThat(reason)
        .isEqualTo(
            "no Docker engine answers at DOCKER_HOST=unix://"
                + none
                + " (no such socket); start the engine or point DOCKER_HOST at a running one,"
                + " or use --cluster local");
  }

  @Test
  void aListeningSocketCountsAsAnEngineAndAStaleOneDoesNot() throws IOException {
    Path sock = tmp.resolve("d.sock");
    Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + sock);
    try (ServerSocketChannel engine = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      engine.bind(UnixDomainSocketAddress.of(sock));
      assertThat(DockerEngine.absence(env, tmp)).isEmpty();
    }
    assertThat(sock).exists();
    assertThat(DockerEngine.absence(env, tmp).orElseThrow())
        .contains("(nothing listens on the socket)");
  }

  @Test
  void theTestcontainersPropertiesFileIsReadWhenDockerHostIsUnset() throws IOException {
    Path none = tmp.resolve("gone.sock");
    Files.writeString(tmp.resolve(".testcontainers.properties"), "docker.host=unix://" + none);
    assertThat(DockerEngine.absence(Map.of(), tmp).orElseThrow())
        .startsWith(
            "no Docker engine answers at "
                + tmp.resolve(".testcontainers.properties")
                + " docker.host=unix://"
                + none);
  }

  @Test
  void aTcpDockerHostIsAskedOverTcp() throws IOException {
    int port;
    try (ServerSocket engine = bindInRange()) {
      port = engine.getLocalPort();
      assertThat(DockerEngine.absence(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + port), tmp))
          .isEmpty();
    }
    assertThat(
            DockerEngine.absence(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + port), tmp)
                .orElseThrow())
        .contains("(cannot connect: ");
  }

  @Test
  void testWithClusterDockerAndNoEnginePrintsOneLineAndStartsNothing() throws Exception {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Faultline.class.getName(),
            "test",
            "--cluster",
            "docker",
            "--store",
            tmp.resolve("runs").toString(),
            "--time-limit",
            "5"));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("DOCKER_HOST", "unix://" + tmp.resolve("no-engine.sock"));
    pb.environment().put("HOME", tmp.toString());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isEqualTo(ExitCode.ERROR);
    assertThat(text.lines().toList())
        .as(text)
        .containsExactly(
            "faultline test: --cluster docker needs a Docker engine: no Docker engine answers at"
                + " DOCKER_HOST=unix://"
                + tmp.resolve("no-engine.sock")
                + " (no such socket); start the engine or point DOCKER_HOST at a running one,"
                + " or use --cluster local");
    assertThat(tmp.resolve("runs")).doesNotExist();
  }

  /** A listening socket on a loopback port of 19500-19999 (the range these tests may use). */
  private static ServerSocket bindInRange() throws IOException {
    for (int port = 19999; port >= 19500; port--) {
      ServerSocket s = new ServerSocket();
      try {
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return s;
      } catch (IOException e) {
        s.close();
      }
    }
    throw new IOException("no free loopback port in 19500-19999");
  }
}
