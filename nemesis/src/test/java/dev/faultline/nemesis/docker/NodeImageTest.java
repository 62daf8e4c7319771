package dev.faultline.nemesis.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a node image built from the Dockerfile can be used again instead of built again. */
class NodeImageTest {
  @TempDir Path root;
  Map<String, String> args;
  final Map<String, String> ids = Map.of("BASE_IMAGE", "sha256:1");

  @BeforeEach
  void project() throws Exception {
    Files.writeString(root.resolve("Dockerfile"), "FROM base\n");
    Files.createDirectories(root.resolve("testbed/target"));
    Files.writeString(root.resolve(NodeImage.PREBUILT_JAR), "jar one");
    args = NodeImage.buildArgs(root, Map.of("FAULTLINE_BASE_IMAGE", "faultline/base:bookworm"));
  }

  @Test
  void theSameDockerfileArgumentsStageImagesAndJarGiveTheSameDigest() {
    assertThat(NodeImage.buildDigest(root, args, ids))
        .isPresent()
        .isEqualTo(NodeImage.buildDigest(root, Map.copyOf(args), Map.copyOf(ids)));
  }

  @Test
  void aRebuiltJarAnotherBaseImageOrAnEditedDockerfileChangeTheDigest() throws Exception {
    var before = NodeImage.buildDigest(root, args, ids).orElseThrow();

    assertThat(NodeImage.buildDigest(root, args, Map.of("BASE_IMAGE", "sha256:2")))
        .isPresent()
        .get()
        .isNotEqualTo(before);
    assertThat(
            NodeImage.buildDigest(
                root, NodeImage.buildArgs(root, Map.of("FAULTLINE_BASE_IMAGE", "other:1")), ids))
        .get()
        .isNotEqualTo(before);
    Files.writeString(root.resolve(NodeImage.PREBUILT_JAR), "jar two");
    var rebuilt = NodeImage.buildDigest(root, args, ids).orElseThrow();
    assertThat(rebuilt).isNotEqualTo(before);
    Files.writeString(root.resolve("Dockerfile"), "FROM base\nRUN true\n");
    assertThat(NodeImage.buildDigest(root, args, ids)).get().isNotEqualTo(rebuilt);
  }

  @Test
  void anImageBuiltFromTheSourcesIsNeverTakenAsIs() throws Exception {
    Files.delete(root.resolve(NodeImage.PREBUILT_JAR));
    Map<String, String> fromSources = NodeImage.buildArgs(root, Map.of());
    assertThat(fromSources).doesNotContainKey("PREBUILT_JAR");
    assertThat(NodeImage.buildDigest(root, fromSources, Map.of())).isEmpty();
  }
}
