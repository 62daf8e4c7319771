package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeClassArchiveTest {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path dir;

  @Test
  void aProgramThatRunsNoJarGetsNoArchive() {
    List<String> program = List.of(JAVA, "-Xmx256m", "-cp", "classes", "dev.faultline.X");

    assertThat(NodeClassArchive.open(program, dir.resolve("cds"), "n1")).isEmpty();
  }

  @Test
  void withoutAnArchiveOnlyTheTrainerWritesOneAndTheOthersStartAsBefore() throws IOException {
    List<String> program = program(fakeJar());
    NodeClassArchive classes =
        NodeClassArchive.open(program, dir.resolve("cds"), "n1").orElseThrow();

    assertThat(classes.training()).isTrue();
    assertThat(classes.trains("n1")).isTrue();
    assertThat(classes.trains("n2")).isFalse();
    List<String> trainer = classes.program("n1", program);
    assertThat(trainer)
        .anySatisfy(
            a ->
                assertThat(a)
                    .startsWith("-XX:ArchiveClassesAtExit=" + dir.resolve("cds"))
                    .endsWith(".tmp"));
    // The archive's flags go to the JVM, before -jar.
    assertThat(trainer.indexOf("-Xlog:cds=error")).isLessThan(trainer.indexOf("-jar"));
    assertThat(classes.program("n2", program)).isEqualTo(program);
    // Nothing was written: the trainer never ran.
    assertThat(classes.install()).startsWith("no archive written");
    assertThat(classes.archive()).doesNotExist();
  }

  @Test
  void anArchiveInPlaceIsUsedByEveryNodeAndNobodyTrains() throws IOException {
    List<String> program = program(fakeJar());
    Path cds = dir.resolve("cds");
    Path archive = NodeClassArchive.open(program, cds, "n1").orElseThrow().archive();
    Files.write(archive, new byte[] {1});

    NodeClassArchive classes = NodeClassArchive.open(program, cds, "n1").orElseThrow();

    assertThat(classes.training()).isFalse();
    assertThat(classes.trains("n1")).isFalse();
    for (String node : List.of("n1", "n2")) {
      List<String> argv = classes.program(node, program);
      assertThat(argv).contains("-XX:SharedArchiveFile=" + archive);
      assertThat(argv.indexOf("-XX:SharedArchiveFile=" + archive)).isLessThan(argv.indexOf("-jar"));
    }
  }

  @Test
  void aRebuiltJarOrOtherJvmFlagsLookForAnotherArchive() throws IOException {
    Path jar = fakeJar();
    Path cds = dir.resolve("cds");
    Path first = NodeClassArchive.open(program(jar), cds, "n1").orElseThrow().archive();
    Files.write(first, new byte[] {1});

    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
    NodeClassArchive rebuilt = NodeClassArchive.open(program(jar), cds, "n1").orElseThrow();
    var otherFlags = new ArrayList<>(program(jar));
    otherFlags.add(1, "-XX:TieredStopAtLevel=1");
    NodeClassArchive flags = NodeClassArchive.open(otherFlags, cds, "n1").orElseThrow();

    assertThat(rebuilt.archive()).isNotEqualTo(first);
    assertThat(rebuilt.training()).isTrue();
    assertThat(flags.archive()).isNotEqualTo(first).isNotEqualTo(rebuilt.archive());
    // Same jar path: the same first part of the name, so a new archive replaces the old one.
    assertThat(rebuilt.archive().getFileName().toString())
        .startsWith(first.getFileName().toString().substring(0, 14));
  }

  @Test
  void aDirectoryThatCannotBeMadeMeansNoArchiveAndNoFailure() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");

    assertThat(NodeClassArchive.open(program(fakeJar()), notADirectory.resolve("cds"), "n1"))
        .isEmpty();
  }

  @Test
  void theTrainersArchiveIsCheckedMovedIntoPlaceAndThenLoadsTheJarsClasses() throws Exception {
    Path jar = helloJar();
    List<String> program = List.of(JAVA, "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar.toString());
    Path cds = dir.resolve("cds");
    NodeClassArchive training = NodeClassArchive.open(program, cds, "n1").orElseThrow();
    // An archive of an older build of the same jar: replaced by the new one.
    String samePath = training.archive().getFileName().toString().substring(0, 14);
    Path stale = Files.write(cds.resolve(samePath + "0000000000000000.jsa"), new byte[] {1});

    assertThat(run(training.program("n1", program))).contains("hello from the jar");
    String installed = training.install();

    assertThat(installed).isEqualTo("created " + training.archive());
    assertThat(training.archive()).isRegularFile();
    assertThat(stale).doesNotExist();
    try (var left = Files.list(cds)) {
      assertThat(left).containsExactly(training.archive());
    }
    NodeClassArchive next = NodeClassArchive.open(program, cds, "n1").orElseThrow();
    assertThat(next.training()).isFalse();
    var logged = new ArrayList<>(next.program("n2", program));
    logged.add(1, "-Xlog:class+load=info");
    assertThat(run(logged))
        .contains("Hello source: shared objects file (top)")
        .contains("hello from the jar");
  }

  @Test
  void aDumpCutShortIsDeletedAndAMismatchedArchiveIsIgnoredByTheJvm() throws Exception {
    Path jar = helloJar();
    List<String> program = List.of(JAVA, "-Xmx64m", "-XX:+UseSerialGC", "-jar", jar.toString());
    Path cds = dir.resolve("cds");
    NodeClassArchive training = NodeClassArchive.open(program, cds, "n1").orElseThrow();
    Path dump = dumpOf(training.program("n1", program));
    // What a trainer killed half-way through its dump leaves.
    Files.write(dump, new byte[4096]);

    assertThat(training.install()).contains("does not load; deleted");
    assertThat(dump).doesNotExist();
    assertThat(training.archive()).doesNotExist();

    // A real archive, then the jar rebuilt: a JVM given the old archive still runs the program.
    assertThat(run(training.program("n1", program))).contains("hello from the jar");
    Path theirs = Files.copy(dumpOf(training.program("n1", program)), dir.resolve("old.jsa"));
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
    var mismatched = new ArrayList<>(program);
    mismatched.add(1, "-XX:SharedArchiveFile=" + theirs);
    assertThat(run(mismatched)).contains("hello from the jar");
  }

  private static Path dumpOf(List<String> argv) {
    String flag = "-XX:ArchiveClassesAtExit=";
    return Path.of(
        argv.stream()
            .filter(a -> a.startsWith(flag))
            .findFirst()
            .orElseThrow()
            .substring(flag.length()));
  }

  private static List<String> program(Path jar) {
    return List.of(JAVA, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString());
  }

  private Path fakeJar() throws IOException {
    return Files.write(dir.resolve("faultline.jar"), new byte[] {1, 2, 3});
  }

  /** A jar whose main class {@code Hello} prints a line: a program AppCDS can archive. */
  private Path helloJar() throws Exception {
    var compiler = ToolProvider.getSystemJavaCompiler();
    Assumptions.assumeTrue(compiler != null, "no Java compiler in this JDK (a JRE?)");
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.writeString(
        src.resolve("Hello.java"),
        "public class Hello { public static void main(String[] a) {"
            + " System.out.println(\"hello from the jar\"); } }");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int rc =
        compiler.run(
            null, null, null, "-d", classes.toString(), src.resolve("Hello.java").toString());
    assertThat(rc).isZero();
    var manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
    Path jar = dir.resolve("hello.jar");
    try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.putNextEntry(new JarEntry("Hello.class"));
      out.write(Files.readAllBytes(classes.resolve("Hello.class")));
      out.closeEntry();
    }
    return jar;
  }

  private static String run(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    var out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }
}
