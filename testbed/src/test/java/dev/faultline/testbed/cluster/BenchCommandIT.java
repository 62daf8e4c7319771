package dev.faultline.testbed.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faultline bench} without a target, from the packaged jar: it cleans up after itself. */
@Order(12)
class BenchCommandIT {
  @TempDir Path tmp;

  @Test
  void theClusterStartedForTheRunLeavesNoFolderBehind() throws Exception {
    List<String> argv = new ArrayList<>(JarCluster.command());
    argv.add(1, "-Djava.io.tmpdir=" + tmp);
    argv.addAll(
        List.of(
            "bench",
            // Ports 19800-19802, 19900-19902, 20000-20002: clear of ReplaceNodeIT's (19500-19793)
            // and of ToxiproxyTestCommandIT's proxies (from 20101), which may run at the same time.
            "--base-port",
            "19800",
            "--duration",
            "1s",
            "--warmup",
            "0s",
            "--concurrency",
            "2",
            "--max-ops",
            "200"));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bench did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    Matcher m =
        Pattern.compile("started a 3-node cluster in (\\S+) for the run \\(removed afterwards\\)")
            .matcher(text);
    assertThat(m.find()).as(text).isTrue();
    Path dir = Path.of(m.group(1));
    assertThat(dir.getParent()).isEqualTo(tmp);
    assertThat(text).contains("RESULT system=faultline");
    assertThat(dir).as("the run's cluster folder").doesNotExist();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.startsWith("faultline-bench-"));
    }
  }
}
