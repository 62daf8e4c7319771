package dev.faultline.testbed.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive (AppCDS) of the classes a node JVM loads from {@code faultline.jar},
 * so that node JVMs map them ready-parsed instead of loading and verifying them one by one: about
 * 40% of a node's CPU from launch to ready. JDK 17 makes no such archive by itself, so one node of
 * a run without an archive (the trainer) is started with {@code -XX:ArchiveClassesAtExit} and
 * writes one when it stops; after the run {@link #install} checks that it loads and moves it into
 * place, and every node of later runs starts with {@code -XX:SharedArchiveFile}.
 *
 * <p>The archive's file name holds a digest of everything it depends on (the jar's path, size and
 * modification time, the {@code java} binary, its flags and version), so a rebuilt jar or another
 * JDK looks for another file and trains a new one; the old one of the same jar is removed. A
 * mismatched archive that slips through anyway is refused by the JVM, which says so in one line of
 * the node's log and starts without it. Nothing here can fail a run: a directory that cannot be
 * written means no training (an archive already there is still used), a dump cut short by a SIGKILL
 * fails the check and is deleted.
 */
public final class NodeClassArchive {
  /** How long the trainer may take to stop: writing the archive takes a few CPU-seconds. */
  public static final Duration TRAINER_GRACE = Duration.ofSeconds(60);

  /** The check of a dump ({@code java -Xshare:on ... -version}) is a JVM start, no more. */
  private static final Duration CHECK_WAIT = Duration.ofSeconds(60);

  /** Dumps older than this were left by a run that died; nobody will install them. */
  private static final Duration ABANDONED = Duration.ofHours(1);

  /** At most this many archives (of different jars) stay in the directory. */
  static final int KEEP = 4;

  private static final String PREFIX = "node-";
  private static final String SUFFIX = ".jsa";

  private final List<String> jvm;
  private final String jar;
  private final Path archive;
  private final Optional<Path> dump;
  private final String trainer;

  private NodeClassArchive(
      List<String> jvm, String jar, Path archive, Optional<Path> dump, String trainer) {
    this.jvm = List.copyOf(jvm);
    this.jar = jar;
    this.archive = archive;
    this.dump = dump;
    this.trainer = trainer;
  }

  /**
   * The archive for nodes started as {@code program} ({@code java <flags> -jar <jar>}), kept in
   * {@code dir}; empty when the program does not run a jar (AppCDS takes no class directories) or
   * when there is no archive and none can be written.
   *
   * @param trainer the node that writes the archive if there is none yet
   */
  public static Optional<NodeClassArchive> open(List<String> program, Path dir, String trainer) {
    int dashJar = program.indexOf("-jar");
    if (dashJar < 1 || dashJar + 1 >= program.size()) {
      return Optional.empty();
    }
    List<String> jvm = program.subList(0, dashJar);
    String jar = program.get(dashJar + 1);
    try {
      Path jarPath = Path.of(jar).toAbsolutePath();
      if (!Files.isRegularFile(jarPath)) {
        return Optional.empty();
      }
      Path archive = dir.resolve(fileName(jvm, jarPath));
      if (Files.isRegularFile(archive)) {
        return Optional.of(new NodeClassArchive(jvm, jar, archive, Optional.empty(), trainer));
      }
      Files.createDirectories(dir);
      if (!Files.isWritable(dir)) {
        return Optional.empty();
      }
      removeAbandonedDumps(dir);
      Path dump =
          dir.resolve(
              archive.getFileName()
                  + "."
                  + Long.toHexString(ThreadLocalRandom.current().nextLong())
                  + ".tmp");
      return Optional.of(new NodeClassArchive(jvm, jar, archive, Optional.of(dump), trainer));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Where archives live unless told otherwise: {@code $XDG_CACHE_HOME/faultline/cds}, else {@code
   * ~/.cache/faultline/cds}. Not beside the jar, whose directory may be read-only (an installed
   * package, an image).
   */
  public static Path defaultDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("faultline").resolve("cds");
  }

  /** The archive's place, whether or not it exists yet. */
  public Path archive() {
    return archive;
  }

  /** Whether this run writes the archive (there was none). */
  public boolean training() {
    return dump.isPresent();
  }

  /** Whether {@code nodeId} is the node that writes the archive in this run. */
  public boolean trains(String nodeId) {
    return training() && trainer.equals(nodeId);
  }

  /**
   * {@code program} with the archive's flags for {@code nodeId} before {@code -jar}: every node
   * uses the archive when there is one; when there is none, the trainer writes it at exit and the
   * others start without.
   */
  public List<String> program(String nodeId, List<String> program) {
    int dashJar = program.indexOf("-jar");
    if (dashJar < 1) {
      return program;
    }
    var flags = new ArrayList<String>();
    if (dump.isEmpty()) {
      flags.add("-XX:SharedArchiveFile=" + archive);
    } else if (trainer.equals(nodeId)) {
      flags.add("-XX:ArchiveClassesAtExit=" + dump.get());
      // Without this, the dump lists every class it skips (about 200 lines) in the node's log.
      flags.add("-Xlog:cds=error");
    }
    var argv = new ArrayList<>(program.subList(0, dashJar));
    argv.addAll(flags);
    argv.addAll(program.subList(dashJar, program.size()));
    return argv;
  }

  /**
   * After the trainer stopped: when it wrote a dump that a JVM with the nodes' flags loads ({@code
   * -Xshare:on}, which refuses an archive it cannot use instead of ignoring it), moves it into
   * place and removes older archives of the same jar; deletes a dump that does not load. Never
   * throws.
   *
   * @return what happened, for a log line
   */
  public String install() {
    if (dump.isEmpty()) {
      return "used " + archive;
    }
    Path written = dump.get();
    try {
      if (!Files.isRegularFile(written)) {
        return "no archive written (the trainer " + trainer + " did not exit by itself)";
      }
      if (!loads(written)) {
        Files.deleteIfExists(written);
        return "the archive " + trainer + " wrote does not load; deleted";
      }
      Files.move(
          written, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      removeOlderArchives();
      return "created " + archive;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(written);
      } catch (IOException ignored) {
        // Left for removeAbandonedDumps on a later run.
      }
      return "cannot install " + archive + ": " + e.getMessage();
    }
  }

  private boolean loads(Path candidate) throws IOException {
    var argv = new ArrayList<>(jvm);
    argv.addAll(
        List.of("-XX:SharedArchiveFile=" + candidate, "-Xshare:on", "-cp", jar, "-version"));
    Process check =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    try {
      if (!check.waitFor(CHECK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        check.destroyForcibly();
        return false;
      }
      return check.exitValue() == 0;
    } catch (InterruptedException e) {
      check.destroyForcibly();
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Other archives of the same jar path are stale; beyond {@link #KEEP}, the oldest go. */
  private void removeOlderArchives() throws IOException {
    String samePath = archive.getFileName().toString().substring(0, PREFIX.length() + 9);
    Path dir = archive.getParent();
    var others = new ArrayList<Path>();
    try (var files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path f : files) {
        if (!f.equals(archive)) {
          if (f.getFileName().toString().startsWith(samePath)) {
            Files.deleteIfExists(f);
          } else {
            others.add(f);
          }
        }
      }
    }
    others.sort(Comparator.comparing(NodeClassArchive::modified).reversed());
    for (Path f : others.subList(Math.min(others.size(), KEEP - 1), others.size())) {
      Files.deleteIfExists(f);
    }
  }

  private static void removeAbandonedDumps(Path dir) throws IOException {
    Instant before = Instant.now().minus(ABANDONED);
    try (var files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX + ".*.tmp")) {
      for (Path f : files) {
        if (modified(f).toInstant().isBefore(before)) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /**
   * {@code node-<jar path digest>-<digest of all else>.jsa}: the first part names the jar (its
   * archives replace one another), the second changes with anything that makes an archive stale.
   */
  static String fileName(List<String> jvm, Path jar) throws IOException {
    String path = digest(jar.toString() + "\n" + jvm.get(0));
    String all =
        digest(
            String.join(
                "\n",
                jar.toString(),
                Long.toString(Files.size(jar)),
                Long.toString(Files.getLastModifiedTime(jar).toMillis()),
                String.join(" ", jvm),
                System.getProperty("java.home"),
                System.getProperty("java.vm.version")));
    return PREFIX + path.substring(0, 8) + "-" + all.substring(0, 16) + SUFFIX;
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
