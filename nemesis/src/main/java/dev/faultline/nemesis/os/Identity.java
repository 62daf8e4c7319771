package dev.faultline.nemesis.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this process is: its uid as the kernel sees it, and whether it runs inside the sandbox. */
public final class Identity {
  /** Set in the environment of the process that runs inside the run's private namespaces. */
  public static final String SANDBOX_ENV = "FAULTLINE_SANDBOX";

  private Identity() {}

  /** True when this process is the re-executed one inside the network sandbox. */
  public static boolean insideSandbox() {
    return "1".equals(System.getenv(SANDBOX_ENV));
  }

  /** True for uid 0 in the initial user namespace (a mapped root inside the sandbox is not). */
  public static boolean isRealRoot() {
    return !insideSandbox() && effectiveUid() == 0;
  }

  /** The effective uid from /proc/self/status, or -1 when it cannot be read. */
  public static long effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
