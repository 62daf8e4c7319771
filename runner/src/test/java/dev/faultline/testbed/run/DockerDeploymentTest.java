package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerDeploymentTest {
  private static TestOptions options(Optional<String> bug) {
    return new TestOptions(
        3,
        "kv",
        NemesisChoice.parse("partition", false),
        Duration.ofSeconds(30),
        5,
        0,
        "http",
        7,
        bug,
        1,
        Path.of("runs"),
        Duration.ofSeconds(10),
        Duration.ofSeconds(4));
  }

  @Test
  void nodeContainersRunTheJvmOfALocalNodeAndStillExitWhenOutOfMemory() {
    String flags = DockerDeployment.environment(options(Optional.empty())).get("JAVA_TOOL_OPTIONS");

    assertThat(flags.split(" "))
        .containsSubsequence(NodeCommandLine.NODE_JVM_FLAGS.toArray(String[]::new))
        .contains("-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError");
  }

  @Test
  void aDeliberateBugReachesEveryNodeContainer() {
    assertThat(DockerDeployment.environment(options(Optional.of("stale-read"))))
        .containsEntry("FAULTLINE_BUGS", "stale-read")
        .containsKey("JAVA_TOOL_OPTIONS");
    assertThat(DockerDeployment.environment(options(Optional.empty())))
        .doesNotContainKey("FAULTLINE_BUGS");
  }
}
