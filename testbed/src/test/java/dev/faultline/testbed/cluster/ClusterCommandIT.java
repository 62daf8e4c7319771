package dev.faultline.testbed.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faultline cluster up/status/down} as a user runs them, from the packaged jar. */
@Order(9)
class ClusterCommandIT {

  @TempDir Path dir;

  record Run(int code, String out) {}

  Run faultline(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(JarCluster.command());
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("faultline " + String.join(" ", args) + " did not finish");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Test
  void upStatusDownRoundTripWithADeliberateBugLoggedLoudly() throws Exception {
    Path data = dir.resolve("c");
    Run up = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      up =
          faultline(
              "cluster",
              "up",
              "--data",
              data.toString(),
              "--base-port",
              Integer.toString(JarCluster.randomBase()),
              "--bug",
              "stale-read");
      if (up.code() == 0 || !up.out().contains("in use")) {
        break;
      }
    }
    try {
      assertThat(up.code()).as(up.out()).isZero();
      assertThat(up.out()).contains("is up").contains("n1").contains("n3").contains("curl");
      ClusterState state = ClusterState.read(data).orElseThrow();
      assertThat(state.nodes()).hasSize(3).allMatch(n -> n.process().isPresent());

      // status gives each node 2 s to answer; a node starved of CPU that long (a machine at load
      // 25-40 did it) is asked again, for at most 90 s: a status that never succeeds still fails.
      Run status = faultline("cluster", "status", "--data", data.toString());
      long asking = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (status.code() != 0 && System.nanoTime() < asking) {
        status = faultline("cluster", "status", "--data", data.toString());
      }
      assertThat(status.code()).as(status.out()).isZero();
      assertThat(status.out()).contains("leader").contains("follower");

      String log = Files.readString(data.resolve("n1").resolve("node.log"));
      assertThat(log)
          .containsPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}")
          .contains("WARN")
          .contains("DELIBERATE BUG 'stale-read'");

      Run down = faultline("cluster", "down", "--data", data.toString());
      assertThat(down.code()).as(down.out()).isZero();
      assertThat(state.nodes()).allMatch(n -> n.process().isEmpty());
      assertThat(data.resolve(ClusterState.FILE)).doesNotExist();
      assertThat(Files.readString(data.resolve("n2").resolve("node.log"))).contains("stopped");
    } finally {
      if (Files.exists(data.resolve(ClusterState.FILE))) {
        ProcessCluster.attach(data).down(java.time.Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void statusWithoutAClusterExitsThree() throws Exception {
    Run status = faultline("cluster", "status", "--data", dir.resolve("none").toString());
    assertThat(status.code()).isEqualTo(3);
    assertThat(status.out()).contains("no cluster in");
  }
}
