package dev.faultline.testbed.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code faultline.jar} as the integration tests run it: one command in its own
 * process, bounded in time, with its output captured.
 */
final class FaultlineJar {
  /** Exit code and output of one command. */
  record Result(int code, String output) {}

  /**
   * {@link #unusable()} per jar, asked once per JVM: the ITs run in one JVM, and each answer costs
   * a JVM start of its own.
   */
  private static final Map<Path, Optional<String>> UNUSABLE = new ConcurrentHashMap<>();

  private final Path jar;

  private FaultlineJar(Path jar) {
    this.jar = jar;
  }

  /**
   * The jar failsafe points at, or why it cannot run a cluster (no jar, or a build without {@code
   * faultline node}).
   */
  static FaultlineJar locate() {
    return new FaultlineJar(
        Path.of(
            System.getProperty(
                "faultline.jar",
                Path.of(System.getProperty("basedir", "."), "target", "faultline.jar")
                    .toString())));
  }

  /** Why this jar cannot run a cluster, or empty when it can. */
  Optional<String> unusable() throws Exception {
    Optional<String> known = UNUSABLE.get(jar);
    if (known == null) {
      known = probe();
      UNUSABLE.put(jar, known);
    }
    return known;
  }

  private Optional<String> probe() throws Exception {
    if (!Files.isRegularFile(jar)) {
      return Optional.of("no jar at " + jar + ": run mvn verify (the jar is made in package)");
    }
    Result help = run(Path.of("."), 60, "node", "--help");
    if (help.code() != 0 || !help.output().contains("Usage: faultline node")) {
      return Optional.of(
          "'faultline node' is not in this build (node --help exited " + help.code() + ")");
    }
    return Optional.empty();
  }

  Result run(Path dir, long boundSeconds, String... args) throws Exception {
    return run(dir, boundSeconds, Map.of(), args);
  }

  /** As {@link #run(Path, long, String...)}, with {@code env} added to this JVM's environment. */
  Result run(Path dir, long boundSeconds, Map<String, String> env, String... args)
      throws Exception {
    var argv =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // The client compiler and the serial collector: a run's own JVM (and the one it
                // re-executes in the sandbox, which keeps these flags) then spends a few seconds
                // of CPU less on compiling and collecting, on a machine every other IT shares.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                jar.toString()));
    argv.addAll(List.of(args));
    Path log = Files.createTempFile("faultline-it", ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(argv)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process p = builder.start();
      if (!p.waitFor(boundSeconds, TimeUnit.SECONDS)) {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        throw new AssertionError(
            "faultline "
                + String.join(" ", args)
                + " ran over "
                + boundSeconds
                + " s:\n"
                + tail(log));
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      // Where a run's wall time went, in the build's log: what to look at when the ITs get slow.
      output
          .lines()
          .filter(line -> line.startsWith("faultline test: phases:"))
          .forEach(line -> System.out.println(line + "  (" + String.join(" ", args) + ")"));
      return new Result(p.exitValue(), output);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }
}
