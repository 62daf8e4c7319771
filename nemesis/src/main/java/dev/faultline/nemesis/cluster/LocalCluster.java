package dev.faultline.nemesis.cluster;

import dev.faultline.nemesis.cluster.NodeState.Phase;
import dev.faultline.nemesis.net.Net;
import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.nemesis.net.NodeNetwork;
import dev.faultline.nemesis.os.Exec;
import dev.faultline.nemesis.os.Spawner;
import dev.faultline.nemesis.os.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * N node processes on this machine, each launched inside its place in a {@link NodeNetwork} (its
 * own namespace in the sandbox). The pid held for a node is the program's own (every wrapper
 * execs), so signals reach the node itself. The cluster owns the network: {@link #close} kills
 * every node and then the network.
 */
public final class LocalCluster implements Cluster {
  private static final Duration EXIT_WAIT = Duration.ofSeconds(10);
  private static final Set<String> WRAPPERS =
      Set.of("nsenter", "setpriv", "unshare", "env", "faketime", "sh", "bash");

  private final NodeNetwork network;
  private final Map<String, Node> nodes;

  private static final class Node {
    final NodeSpec spec;
    Process process;
    Phase phase = Phase.NOT_STARTED;
    Map<String, String> extraEnv = Map.of();

    Node(NodeSpec spec) {
      this.spec = spec;
    }
  }

  private LocalCluster(NodeNetwork network, Map<String, Node> nodes) {
    this.network = network;
    this.nodes = nodes;
  }

  /** Plans one node per address of {@code network}; nothing runs until {@link #start()}. */
  public static LocalCluster create(NodeNetwork network, NodeLauncher launcher) {
    var nodes = new LinkedHashMap<String, Node>();
    List<NodeAddress> all = network.addresses();
    for (NodeAddress address : all) {
      NodeSpec spec = launcher.spec(address, all);
      if (!spec.id().equals(address.id())) {
        throw new IllegalArgumentException(
            "launcher returned a spec for " + spec.id() + " when asked for " + address.id());
      }
      nodes.put(address.id(), new Node(spec));
    }
    return new LocalCluster(network, nodes);
  }

  public NodeNetwork network() {
    return network;
  }

  /** Partitions between the nodes (only in the sandbox). */
  public Net net() {
    return network.net();
  }

  @Override
  public List<String> nodeIds() {
    return List.copyOf(nodes.keySet());
  }

  @Override
  public NodeAddress address(String nodeId) {
    return network.address(nodeId);
  }

  @Override
  public synchronized void start() {
    for (String id : nodes.keySet()) {
      if (!state(id).isUp()) {
        start(id);
      }
    }
  }

  @Override
  public synchronized void start(String nodeId) {
    Node node = node(nodeId);
    if (state(nodeId).isUp()) {
      throw new IllegalStateException(
          "node " + nodeId + " is already up (pid " + node.process.pid() + ")");
    }
    NodeSpec spec = node.spec.withEnv(node.extraEnv);
    try {
      Files.createDirectories(spec.workDir());
      Files.createDirectories(spec.dataDir());
      Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
      Files.writeString(
          spec.logFile(),
          "=== nemesis: starting " + nodeId + " at " + Instant.now() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "node " + nodeId + ": cannot prepare directories: " + e.getMessage(), e);
    }
    var argv = new ArrayList<>(network.launchPrefix(nodeId));
    argv.addAll(Spawner.dieWithParent(spec.argv()));
    var pb =
        new ProcessBuilder(argv)
            .directory(spec.workDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(spec.env());
    node.process = Spawner.start(pb);
    node.phase = Phase.RUNNING;
  }

  @Override
  public synchronized void stop(String nodeId, Duration grace) {
    Node node = node(nodeId);
    if (!state(nodeId).isUp()) {
      return;
    }
    node.process.destroy();
    if (node.phase == Phase.PAUSED) {
      // A stopped process only acts on SIGTERM once continued.
      signal(node, "CONT");
    }
    if (!waitFor(node.process, grace)) {
      node.process.destroyForcibly();
      waitFor(node.process, EXIT_WAIT);
    }
    node.phase = Phase.STOPPED;
  }

  /**
   * SIGTERM to every named node that is up at once (SIGCONT after it to a paused one), then waits
   * for each until its own grace has passed since then, and SIGKILLs any still running.
   */
  @Override
  public synchronized List<String> stopAll(Map<String, Duration> graces) {
    var problems = new ArrayList<String>();
    var stopping = new LinkedHashMap<String, Node>();
    for (String id : graces.keySet()) {
      try {
        Node node = node(id);
        if (!state(id).isUp()) {
          continue;
        }
        node.process.destroy();
        if (node.phase == Phase.PAUSED) {
          signal(node, "CONT");
        }
        stopping.put(id, node);
      } catch (RuntimeException e) {
        problems.add("could not stop " + id + ": " + e.getMessage());
      }
    }
    long signalled = System.nanoTime();
    for (var entry : stopping.entrySet()) {
      Node node = entry.getValue();
      Duration left = graces.get(entry.getKey()).minusNanos(System.nanoTime() - signalled);
      if (!waitFor(node.process, left.isNegative() ? Duration.ZERO : left)) {
        node.process.destroyForcibly();
        if (!waitFor(node.process, EXIT_WAIT)) {
          problems.add(
              "could not stop "
                  + entry.getKey()
                  + ": pid "
                  + node.process.pid()
                  + " survived SIGKILL for "
                  + EXIT_WAIT.toSeconds()
                  + " s");
        }
      }
      node.phase = Phase.STOPPED;
    }
    return problems;
  }

  @Override
  public synchronized void kill(String nodeId) {
    Node node = node(nodeId);
    if (!state(nodeId).isUp()) {
      return;
    }
    killProgram(node);
    if (!waitFor(node.process, EXIT_WAIT)) {
      throw new IllegalStateException(
          "node "
              + nodeId
              + " (pid "
              + node.process.pid()
              + ") survived SIGKILL for "
              + EXIT_WAIT.toSeconds()
              + " s");
    }
    node.phase = Phase.KILLED;
  }

  @Override
  public synchronized void pause(String nodeId) {
    Node node = node(nodeId);
    requireUp(nodeId, "pause");
    signal(node, "STOP");
    node.phase = Phase.PAUSED;
  }

  @Override
  public synchronized void resume(String nodeId) {
    Node node = node(nodeId);
    if (state(nodeId).phase() != Phase.PAUSED) {
      return;
    }
    signal(node, "CONT");
    node.phase = Phase.RUNNING;
  }

  /**
   * Replaces the node's extra environment with {@code extraEnv}; it stays until the next such call.
   */
  @Override
  public synchronized void restart(String nodeId, Map<String, String> extraEnv) {
    node(nodeId).extraEnv = Map.copyOf(extraEnv);
    restartKeepingEnv(nodeId);
  }

  /** Kills and starts the node again, keeping any extra environment (such as a clock fault's). */
  @Override
  public synchronized void restart(String nodeId) {
    restartKeepingEnv(nodeId);
  }

  private void restartKeepingEnv(String nodeId) {
    kill(nodeId);
    start(nodeId);
  }

  @Override
  public synchronized NodeState state(String nodeId) {
    Node node = node(nodeId);
    if (node.process == null) {
      return new NodeState(nodeId, node.phase, OptionalLong.empty(), OptionalInt.empty());
    }
    if (!node.process.isAlive() && (node.phase == Phase.RUNNING || node.phase == Phase.PAUSED)) {
      node.phase = Phase.EXITED;
    }
    OptionalInt exit =
        node.process.isAlive() ? OptionalInt.empty() : OptionalInt.of(node.process.exitValue());
    return new NodeState(nodeId, node.phase, OptionalLong.of(node.process.pid()), exit);
  }

  @Override
  public Path dataDir(String nodeId) {
    return node(nodeId).spec.dataDir();
  }

  @Override
  public Optional<String> leader(LeaderProbe probe) {
    var votes = new HashMap<String, Integer>();
    for (String id : nodeIds()) {
      if (state(id).phase() != Phase.RUNNING) {
        continue;
      }
      try {
        probe.leaderSeenBy(address(id)).ifPresent(l -> votes.merge(l, 1, Integer::sum));
      } catch (Exception unreachable) {
        // A node that cannot answer names no leader.
      }
    }
    int best = votes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    var top =
        votes.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey).toList();
    return top.size() == 1 ? Optional.of(top.get(0)) : Optional.empty();
  }

  @Override
  public void collectLogs(Path dir) {
    for (String id : nodeIds()) {
      NodeSpec spec = node(id).spec;
      Path target = dir.resolve(id);
      try {
        Files.createDirectories(target);
        copyIfPresent(spec.logFile(), target);
        if (Files.isDirectory(spec.dataDir())) {
          try (var logs = Files.newDirectoryStream(spec.dataDir(), "*.log")) {
            for (Path log : logs) {
              if (!log.toAbsolutePath().equals(spec.logFile().toAbsolutePath())) {
                copyIfPresent(log, target);
              }
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot collect logs of " + id + " into " + target + ": " + e.getMessage(), e);
      }
    }
  }

  private static void copyIfPresent(Path file, Path dir) throws IOException {
    if (Files.isRegularFile(file)) {
      Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public synchronized void close() {
    try {
      for (Node node : nodes.values()) {
        if (node.process != null && node.process.isAlive()) {
          // SIGKILL works on a stopped process too.
          killProgram(node);
          waitFor(node.process, EXIT_WAIT);
          node.phase = Phase.KILLED;
        }
      }
    } finally {
      network.close();
    }
  }

  private void requireUp(String nodeId, String action) {
    NodeState state = state(nodeId);
    if (state.phase() != Phase.RUNNING) {
      throw new IllegalStateException(
          "cannot " + action + " node " + nodeId + ": it is " + state.phase());
    }
  }

  private Node node(String nodeId) {
    Node node = nodes.get(nodeId);
    if (node == null) {
      throw new IllegalArgumentException("unknown node " + nodeId + ": not in " + nodes.keySet());
    }
    return node;
  }

  /** SIGKILL to the program behind any forking wrapper, then to the process launched. */
  private static void killProgram(Node node) {
    long program = programPid(node.process.toHandle());
    if (program != node.process.pid()) {
      ProcessHandle.of(program).ifPresent(ProcessHandle::destroyForcibly);
    }
    node.process.destroyForcibly();
  }

  private static void signal(Node node, String signal) {
    long pid = programPid(node.process.toHandle());
    Exec.run(List.of(Tool.KILL.require().toString(), "-" + signal, Long.toString(pid))).orThrow();
  }

  /**
   * The pid of the program itself. Every wrapper used here execs, so it is the process's own pid; a
   * forking wrapper (one that stays as the parent) is looked through to its first non-wrapper
   * child.
   */
  static long programPid(ProcessHandle handle) {
    if (!isWrapper(handle)) {
      return handle.pid();
    }
    return handle.descendants().filter(d -> !isWrapper(d)).findFirst().orElse(handle).pid();
  }

  private static boolean isWrapper(ProcessHandle handle) {
    return handle
        .info()
        .command()
        .map(c -> WRAPPERS.contains(Path.of(c).getFileName().toString()))
        .orElse(false);
  }

  private static boolean waitFor(Process process, Duration bound) {
    try {
      return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
