package dev.faultline.testbed.run.system;

import dev.faultline.nemesis.os.Exec;
import dev.faultline.nemesis.os.Identity;
import dev.faultline.nemesis.os.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A program of a system under test and the Debian package that ships it. A missing program is
 * installed by {@code apt-get} when this process is real root (outside the sandbox, before a run
 * starts); otherwise finding it fails in one line naming the package.
 *
 * @param program the executable's name, looked up on PATH and in the standard bin directories
 * @param extraPaths absolute paths tried too (programs Debian keeps outside PATH)
 * @param debianPackage the package to install
 */
public record DebianPackage(String program, List<Path> extraPaths, String debianPackage) {
  private static final Duration INSTALL_BOUND = Duration.ofMinutes(12);

  public DebianPackage(String program, String debianPackage) {
    this(program, List.of(), debianPackage);
  }

  /** The program's path, if it is installed. */
  public Optional<Path> find() {
    Optional<Path> found = Tool.find(program);
    if (found.isPresent()) {
      return found;
    }
    return extraPaths.stream().filter(Files::isExecutable).findFirst();
  }

  /**
   * The program's path, installing the package first when it is missing and this process is real
   * root.
   *
   * @throws IllegalStateException naming the package when the program is missing and cannot be
   *     installed
   */
  public Path require() {
    Optional<Path> found = find();
    if (found.isPresent()) {
      return found.get();
    }
    if (Identity.isRealRoot() && Tool.find("apt-get").isPresent()) {
      Optional<String> failure = install();
      found = find();
      if (found.isPresent()) {
        return found.get();
      }
      throw new IllegalStateException(
          program
              + " not found after 'apt-get install "
              + debianPackage
              + "'"
              + failure.map(f -> ": " + f).orElse("")
              + "; install it by hand and run again");
    }
    throw new IllegalStateException(
        program
            + " not found: install the Debian package '"
            + debianPackage
            + "' (apt-get install -y "
            + debianPackage
            + ") or run as root to have it installed");
  }

  /**
   * Installs the package, waiting for another apt process's lock; updates the package lists once
   * when the first attempt fails (a fresh container has none). The last output line on failure.
   */
  private Optional<String> install() {
    List<String> install =
        command(
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
            "-o",
            "DPkg::Lock::Timeout=600",
            debianPackage);
    Exec.Result r = Exec.run(install, null, INSTALL_BOUND);
    if (!r.ok()) {
      Exec.run(command("update", "-q", "-o", "DPkg::Lock::Timeout=600"), null, INSTALL_BOUND);
      r = Exec.run(install, null, INSTALL_BOUND);
    }
    if (r.ok()) {
      return Optional.empty();
    }
    List<String> lines = r.output().strip().lines().toList();
    return Optional.of(lines.isEmpty() ? "exit " + r.exitCode() : lines.get(lines.size() - 1));
  }

  private static List<String> command(String... args) {
    var argv = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get"));
    argv.addAll(List.of(args));
    return argv;
  }

  /** The first line of {@code argv}'s output, or {@code unknown} when it does not run. */
  public static String firstLine(List<String> argv) {
    Exec.Result r = Exec.run(argv, null, Duration.ofSeconds(20));
    return r.output().strip().lines().findFirst().orElse("unknown");
  }
}
