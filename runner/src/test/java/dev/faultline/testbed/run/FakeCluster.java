package dev.faultline.testbed.run;

import dev.faultline.nemesis.cluster.Cluster;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.NodeState;
import dev.faultline.nemesis.cluster.NodeState.Phase;
import dev.faultline.nemesis.net.NodeAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster of imaginary nodes: it tracks each node's phase and logs every action, and can be told
 * to throw from its {@code kill} after a number of calls (a cluster that breaks mid-run).
 */
final class FakeCluster implements Cluster {
  private final Map<String, Phase> phases = new LinkedHashMap<>();
  private final Path dataRoot;
  final List<String> actions = new ArrayList<>();
  final AtomicInteger killsBeforeFailure = new AtomicInteger(Integer.MAX_VALUE);
  volatile boolean closed;
  volatile Boolean allRunningWhenTornDown;

  /**
   * How many leader polls after start name no leader yet: a cluster that takes a while to elect.
   */
  final AtomicInteger electionPolls = new AtomicInteger();

  FakeCluster(List<String> ids, Path dataRoot) {
    ids.forEach(id -> phases.put(id, Phase.NOT_STARTED));
    this.dataRoot = dataRoot;
  }

  synchronized void log(String action) {
    actions.add(action);
  }

  synchronized List<String> actions() {
    return List.copyOf(actions);
  }

  synchronized boolean up(String id) {
    return phases.get(id) == Phase.RUNNING;
  }

  synchronized boolean allRunning() {
    return phases.values().stream().allMatch(p -> p == Phase.RUNNING);
  }

  @Override
  public List<String> nodeIds() {
    return List.copyOf(phases.keySet());
  }

  @Override
  public NodeAddress address(String nodeId) {
    int index = nodeIds().indexOf(nodeId) + 1;
    return new NodeAddress(nodeId, index, "192.0.2." + index);
  }

  @Override
  public synchronized void start() {
    nodeIds().forEach(id -> phases.put(id, Phase.RUNNING));
    log("start all");
  }

  @Override
  public synchronized void start(String nodeId) {
    phases.put(nodeId, Phase.RUNNING);
    log("start " + nodeId);
  }

  @Override
  public synchronized void stop(String nodeId, Duration grace) {
    if (allRunningWhenTornDown == null) {
      allRunningWhenTornDown = allRunning();
    }
    phases.put(nodeId, Phase.STOPPED);
    log("stop " + nodeId);
  }

  /** All at once: logged as one action naming each node's grace. */
  @Override
  public synchronized List<String> stopAll(Map<String, Duration> graces) {
    if (allRunningWhenTornDown == null) {
      allRunningWhenTornDown = allRunning();
    }
    var parts = new ArrayList<String>();
    graces.forEach(
        (id, grace) -> {
          phases.put(id, Phase.STOPPED);
          parts.add(id + " " + grace.toSeconds() + " s");
        });
    log("stop all: " + String.join(", ", parts));
    return List.of();
  }

  @Override
  public synchronized void kill(String nodeId) {
    if (killsBeforeFailure.getAndDecrement() <= 0) {
      log("kill " + nodeId + " failed");
      throw new IllegalStateException("node " + nodeId + " survived SIGKILL (simulated)");
    }
    phases.put(nodeId, Phase.KILLED);
    log("kill " + nodeId);
  }

  @Override
  public synchronized void pause(String nodeId) {
    phases.put(nodeId, Phase.PAUSED);
    log("pause " + nodeId);
  }

  @Override
  public synchronized void resume(String nodeId) {
    if (phases.get(nodeId) == Phase.PAUSED) {
      phases.put(nodeId, Phase.RUNNING);
    }
    log("resume " + nodeId);
  }

  @Override
  public synchronized void restart(String nodeId, Map<String, String> extraEnv) {
    phases.put(nodeId, Phase.RUNNING);
    log("restart " + nodeId);
  }

  @Override
  public synchronized NodeState state(String nodeId) {
    return new NodeState(nodeId, phases.get(nodeId), OptionalLong.empty(), OptionalInt.empty());
  }

  @Override
  public Path dataDir(String nodeId) {
    return dataRoot.resolve(nodeId);
  }

  @Override
  public synchronized Optional<String> leader(LeaderProbe probe) {
    if (electionPolls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Optional.empty();
    }
    return nodeIds().stream().filter(this::up).findFirst();
  }

  @Override
  public void collectLogs(Path dir) {
    try {
      for (String id : nodeIds()) {
        Files.createDirectories(dir.resolve(id));
        Files.writeString(dir.resolve(id).resolve("node.log"), String.join("\n", actions()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    log("close");
  }
}
