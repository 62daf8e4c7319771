package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/faultline} run for real by {@code /bin/sh} against a copy of the project's layout in a
 * temporary folder, with {@code mvn} and {@code java} replaced by scripts that record their calls:
 * the jar is rebuilt when any module's source is newer (the {@code store} module included), not
 * when only runs are, and a build says that it may take a while.
 */
class LauncherScriptTest {
  private static final Instant JAR_TIME = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path root;
  private Path tools;
  private Path jar;

  record Launch(int code, String output, boolean built) {}

  @BeforeEach
  void layout() throws IOException {
    Path script = projectRoot().resolve("bin/faultline");
    assumeTrue(Files.isRegularFile(script), "needs bin/faultline at " + script);
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
    Files.createDirectories(root.resolve("bin"));
    Files.copy(script, root.resolve("bin/faultline"));
    jar = Files.createDirectories(root.resolve("testbed/target")).resolve("faultline.jar");
    Files.writeString(jar, "jar");
    source("store/src/main/java/dev/faultline/store/Kv.java", JAR_TIME.minusSeconds(60));
    source("store/pom.xml", JAR_TIME.minusSeconds(60));
    source("testbed/src/main/java/dev/faultline/testbed/Faultline.java", JAR_TIME.minusSeconds(60));
    Files.setLastModifiedTime(jar, FileTime.from(JAR_TIME));
    tools = Files.createDirectories(root.resolve("tools"));
    // mvn records the call and makes the jar new, as a real build would.
    tool("mvn", "echo \"$PWD\" > \"" + root.resolve("mvn-called") + "\"\ntouch \"" + jar + "\"");
    tool("java", "echo \"java $*\"");
  }

  @Test
  void aChangeInTheStoreModuleRebuildsTheJarAndSaysItMayTakeMinutes() throws Exception {
    source("store/src/main/java/dev/faultline/store/Kv.java", JAR_TIME.plusSeconds(60));
    Launch l = launch("version");
    assertThat(l.built()).as(l.output()).isTrue();
    assertThat(l.output())
        .contains("the sources changed since " + jar)
        .contains("this may take a few minutes")
        .contains("java -jar " + jar + " version");
  }

  @Test
  void aMissingJarIsBuiltWithAWordThatTheFirstBuildIsSlow() throws Exception {
    Files.delete(jar);
    Launch l = launch("version");
    assertThat(l.built()).as(l.output()).isTrue();
    assertThat(l.output().lines().findFirst().orElse(""))
        .isEqualTo(
            "faultline: building "
                + jar
                + " (mvn package, once; the first build downloads dependencies and may take a few"
                + " minutes) ...");
  }

  @Test
  void runsAndClusterFoldersNewerThanTheJarDoNotRebuildIt() throws Exception {
    source("runs/kv-partition/20260102T000000.000Z/history.jsonl", JAR_TIME.plusSeconds(60));
    source("faultline-cluster/n1/node.log", JAR_TIME.plusSeconds(60));
    source("testbed/target/classes/Stale.java", JAR_TIME.plusSeconds(60));
    Launch l = launch("version");
    assertThat(l.built()).as(l.output()).isFalse();
    assertThat(l.output().strip()).isEqualTo("java -jar " + jar + " version");
  }

  @Test
  void aChangedResourceOfAnyModuleRebuildsTheJar() throws Exception {
    source("api/src/main/resources/openapi.yaml", JAR_TIME.plusSeconds(60));
    assertThat(launch("version").built()).isTrue();
  }

  private Launch launch(String... args) throws IOException, InterruptedException {
    List<String> argv =
        new java.util.ArrayList<>(List.of("/bin/sh", root.resolve("bin/faultline").toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("PATH", tools + ":/usr/bin:/bin");
    pb.environment().remove("FAULTLINE_JAVA_OPTS");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return new Launch(p.exitValue(), text, Files.exists(root.resolve("mvn-called")));
  }

  private void source(String relative, Instant modified) throws IOException {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      Files.writeString(file, "x");
    }
    Files.setLastModifiedTime(file, FileTime.from(modified));
  }

  private void tool(String name, String body) throws IOException {
    Path t = tools.resolve(name);
    Files.writeString(t, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Path projectRoot() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
  }
}
