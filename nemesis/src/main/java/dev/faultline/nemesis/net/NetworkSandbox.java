package dev.faultline.nemesis.net;

import dev.faultline.nemesis.os.Exec;
import dev.faultline.nemesis.os.Identity;
import dev.faultline.nemesis.os.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run's private network: the harness re-executes itself inside fresh user and network
 * namespaces ({@code unshare --user --map-root-user --net}, or plain {@code unshare --net} when
 * real root), so every interface, address and iptables rule the run creates exists only there and
 * dies with it. The host's network is never touched.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   if (!NetworkSandbox.isInside()) System.exit(NetworkSandbox.reexecInside(args));
 *   try (var net = SandboxNet.create(List.of("n1", "n2", "n3"))) { ... }
 * }
 * }</pre>
 */
public final class NetworkSandbox {
  private NetworkSandbox() {}

  /** True in the re-executed process, which runs inside the sandbox. */
  public static boolean isInside() {
    return Identity.insideSandbox();
  }

  /**
   * Re-executes this JVM (same java, JVM flags, class path and main class or jar) inside the
   * sandbox with {@code mainArgs}, waits for it and returns its exit code.
   */
  public static int reexecInside(String[] mainArgs) {
    var command = new ArrayList<String>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    String launched = System.getProperty("sun.java.command", "").split(" ", 2)[0];
    if (launched.isEmpty()) {
      throw new IllegalStateException(
          "cannot re-execute inside the sandbox: the main class is unknown; use reexecInside(List)");
    }
    if (launched.endsWith(".jar")) {
      command.add("-jar");
      command.add(launched);
    } else {
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(launched);
    }
    command.addAll(List.of(mainArgs));
    return reexecInside(command);
  }

  /**
   * Runs {@code command} inside the sandbox with its I/O inherited, waits for it and returns its
   * exit code. Tools are checked (and installed when real root) before entering, since the sandbox
   * has no network to fetch packages with.
   */
  /** How long a stopped harness waits for the sandboxed run to finish its own shutdown. */
  private static final Duration CHILD_STOP_WAIT = Duration.ofMinutes(4);

  public static int reexecInside(List<String> command) {
    if (isInside()) {
      throw new IllegalStateException(
          "already inside the network sandbox; do not re-execute again");
    }
    requireTools();
    var argv = new ArrayList<>(unsharePrefix());
    argv.addAll(command);
    var pb = new ProcessBuilder(argv).inheritIO();
    pb.environment().put(Identity.SANDBOX_ENV, "1");
    Process child;
    try {
      child = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
    }
    // If the harness is stopped, stop the sandboxed run too, and wait (bounded) while it tears
    // its cluster down and writes what it recorded, so its last words come before the prompt.
    Thread stopChild =
        new Thread(
            () -> {
              child.destroy();
              try {
                child.waitFor(
                    CHILD_STOP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sandbox-stop");
    Runtime.getRuntime().addShutdownHook(stopChild);
    try {
      return child.waitFor();
    } catch (InterruptedException e) {
      child.destroy();
      Thread.currentThread().interrupt();
      return 3;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopChild);
      } catch (IllegalStateException shuttingDown) {
        // The hook is already running.
      }
    }
  }

  /**
   * Why the sandbox cannot be created here, or empty when a trial {@code unshare} succeeds (for
   * tests that skip).
   */
  public static Optional<String> unavailableReason() {
    try {
      requireTools();
    } catch (IllegalStateException e) {
      return Optional.of(e.getMessage());
    }
    var argv = new ArrayList<>(unsharePrefix());
    argv.add("true");
    var result = Exec.run(argv, null, Duration.ofSeconds(10));
    if (!result.ok()) {
      return Optional.of(
          String.join(" ", argv)
              + " failed ("
              + result.output().strip()
              + "): unprivileged user namespaces are disabled here"
              + " (sysctl kernel.unprivileged_userns_clone=1) or a seccomp profile forbids unshare");
    }
    return Optional.empty();
  }

  /**
   * Makes this sandboxed process exit when the harness that started it dies, whatever the cause.
   */
  public static void exitWithParent() {
    if (!isInside()) {
      return;
    }
    ProcessHandle.current()
        .parent()
        .ifPresent(
            parent ->
                parent
                    .onExit()
                    .thenRun(
                        () -> {
                          System.err.println("nemesis: harness exited; tearing the sandbox down");
                          System.exit(3);
                        }));
  }

  private static List<String> unsharePrefix() {
    String unshare = Tool.UNSHARE.require().toString();
    return Identity.isRealRoot()
        ? List.of(unshare, "--net")
        : List.of(unshare, "--user", "--map-root-user", "--net");
  }

  private static void requireTools() {
    for (Tool tool : List.of(Tool.UNSHARE, Tool.NSENTER, Tool.SETPRIV, Tool.IP, Tool.IPTABLES)) {
      tool.require();
    }
  }
}
