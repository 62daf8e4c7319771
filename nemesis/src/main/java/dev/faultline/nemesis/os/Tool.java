package dev.faultline.nemesis.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An external program the nemesis runs, with the Debian package that provides it. A missing tool is
 * installed (quietly, once) when the process is real root outside the sandbox; otherwise it is a
 * one-line error naming the package.
 */
public enum Tool {
  IP("ip", "iproute2"),
  UNSHARE("unshare", "util-linux"),
  NSENTER("nsenter", "util-linux"),
  SETPRIV("setpriv", "util-linux"),
  KILL("kill", "procps"),
  IPTABLES("iptables", "iptables"),
  FAKETIME("faketime", "faketime");

  private static final List<String> SEARCH =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");
  private static final Set<String> INSTALLED = ConcurrentHashMap.newKeySet();

  private final String binary;
  private final String debianPackage;

  Tool(String binary, String debianPackage) {
    this.binary = binary;
    this.debianPackage = debianPackage;
  }

  public String binary() {
    return binary;
  }

  public String debianPackage() {
    return debianPackage;
  }

  /** The tool's path, if it is on PATH or in a standard bin/sbin directory. */
  public Optional<Path> find() {
    return find(binary);
  }

  /** Finds any executable by name on PATH or in a standard bin/sbin directory. */
  public static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : (path + ":" + String.join(":", SEARCH)).split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the tool's path, installing its package first when missing and this process is real
   * root outside the sandbox.
   *
   * @throws IllegalStateException naming the package when the tool is missing and cannot be
   *     installed
   */
  public Path require() {
    Optional<Path> found = find();
    if (found.isPresent()) {
      return found.get();
    }
    if (Identity.isRealRoot() && INSTALLED.add(debianPackage)) {
      install(debianPackage);
      found = find();
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new IllegalStateException(
        binary
            + " not found: install the Debian package '"
            + debianPackage
            + "' (apt-get install -y "
            + debianPackage
            + ") or run as root to have it installed");
  }

  private static void install(String pkg) {
    Duration bound = Duration.ofMinutes(5);
    List<String> install =
        List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", pkg);
    var env = List.of("env", "DEBIAN_FRONTEND=noninteractive");
    if (!Exec.run(concat(env, install), null, bound).ok()) {
      // A fresh container often has no package lists yet.
      Exec.run(concat(env, List.of("apt-get", "update", "-q")), null, bound);
      Exec.run(concat(env, install), null, bound);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    var all = new java.util.ArrayList<String>(a);
    all.addAll(b);
    return all;
  }
}
