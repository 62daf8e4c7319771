package dev.faultline.nemesis.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.utility.DockerImageName;

/** Host ports from a range, the node image's build arguments and the Toxiproxy image's name. */
class HostPortsTest {

  @TempDir Path root;

  /** A range of ten ports above a port the system handed out, most likely all free. */
  static int[] range() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int low = Math.min(s.getLocalPort() + 1, 65000);
      return new int[] {low, low + 9};
    }
  }

  @Test
  void portsComeFromTheRangeAndAreNeverHandedOutTwice() throws Exception {
    int[] r = range();
    HostPorts ports = HostPorts.of(r[0] + "-" + r[1]);
    Set<Integer> given = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      int p = ports.next();
      assertThat(p).isBetween(r[0], r[1]);
      assertThat(given.add(p)).as("port %s handed out twice", p).isTrue();
    }
  }

  /** A port this test holds (the system picks it, so it was free), and the range above it. */
  private static ServerSocket held() throws Exception {
    return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @Test
  void aPortInUseIsSkipped() throws Exception {
    try (ServerSocket busy = held()) {
      int p = busy.getLocalPort();
      assertThat(HostPorts.of(p + "-" + Math.min(p + 9, 65535)).next()).isNotEqualTo(p);
    }
  }

  @Test
  void anExhaustedRangeSaysWhatToDo() throws Exception {
    try (ServerSocket busy = held()) {
      int[] r = {busy.getLocalPort(), busy.getLocalPort()};
      assertThatThrownBy(() -> HostPorts.of(r[0] + "-" + r[0]).next())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "no free port left in FAULTLINE_DOCKER_PORTS="
                  + r[0]
                  + "-"
                  + r[0]
                  + ": widen the range or stop what holds its ports");
    }
  }

  @Test
  void aMalformedRangeIsRefusedNamingTheVariable() {
    for (String bad : new String[] {"20999-20000", "abc", "0-10", "20000-70000"}) {
      assertThatThrownBy(() -> HostPorts.of(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("FAULTLINE_DOCKER_PORTS=" + bad + ": not a port range")
          .hasMessageEndingWith("write it as LOW-HIGH, e.g. 20000-20999");
    }
  }

  @Test
  void withoutARangeAnyFreePortWillDo() {
    HostPorts ports = HostPorts.of(null);
    assertThat(ports.next()).isNotEqualTo(ports.next()).isPositive();
  }

  @Test
  void buildArgumentsComeFromTheEnvironmentAndThePrebuiltJar() throws Exception {
    assertThat(NodeImage.buildArgs(root, Map.of())).isEmpty();
    assertThat(
            NodeImage.buildArgs(
                root,
                Map.of(
                    "FAULTLINE_BASE_IMAGE", "faultline/base:bookworm",
                    "FAULTLINE_BUILD_IMAGE", " ")))
        .containsExactlyEntriesOf(Map.of("BASE_IMAGE", "faultline/base:bookworm"));
    Files.createDirectories(root.resolve("testbed/target"));
    Files.writeString(root.resolve(NodeImage.PREBUILT_JAR), "jar");
    assertThat(NodeImage.buildArgs(root, Map.of("FAULTLINE_BUILD_IMAGE", "b")))
        .containsEntry("PREBUILT_JAR", "testbed/target/faultline.jar")
        .containsEntry("BUILD_IMAGE", "b")
        .hasSize(2);
  }

  @Test
  void aLocalToxiproxyImageStandsInForTheUpstreamOne() {
    DockerImageName local = DockerCluster.toxiproxyImage("faultline/toxiproxy:2.8.0");
    assertThat(local.asCanonicalNameString()).isEqualTo("faultline/toxiproxy:2.8.0");
    assertThat(local.isCompatibleWith(DockerImageName.parse("ghcr.io/shopify/toxiproxy"))).isTrue();
    assertThat(DockerCluster.toxiproxyImage(null).asCanonicalNameString())
        .isEqualTo("ghcr.io/shopify/toxiproxy:2.9.0");
  }
}
