package dev.faultline.nemesis;

import dev.faultline.nemesis.cluster.Cluster;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.LocalCluster;
import dev.faultline.nemesis.cluster.NodeState;
import dev.faultline.nemesis.cluster.NodeState.Phase;
import dev.faultline.nemesis.faults.Target;
import dev.faultline.nemesis.faults.Targets;
import dev.faultline.nemesis.faults.WalDamage;
import dev.faultline.nemesis.faults.WalFaults;
import dev.faultline.nemesis.net.Grudge;
import dev.faultline.nemesis.net.Net;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

/**
 * Applies {@link Fault}s to a cluster and undoes them. Randomness (targets, bytes to damage) comes
 * only from the generator it is given, so a seed replays the same faults. {@link #healAll} brings
 * everything back even when some step fails.
 */
public final class Nemesis {
  private final Cluster cluster;
  private final Optional<Net> net;
  private final LeaderProbe probe;
  private final RandomGenerator rng;
  private final Duration readyWait;
  private final Set<String> skewed = new LinkedHashSet<>();

  /**
   * @param net the cluster's network, or empty when it cannot partition
   * @param readyWait how long {@code stop} of a disk fault waits for the node to be ready or exit
   */
  public Nemesis(
      Cluster cluster,
      Optional<Net> net,
      LeaderProbe probe,
      RandomGenerator rng,
      Duration readyWait) {
    this.cluster = cluster;
    this.net = net;
    this.probe = probe;
    this.rng = rng;
    this.readyWait = readyWait;
  }

  /** A nemesis over a local cluster, partitioning when its network can. */
  public static Nemesis of(LocalCluster cluster, LeaderProbe probe, RandomGenerator rng) {
    Optional<Net> net;
    try {
      net = Optional.of(cluster.net());
    } catch (UnsupportedOperationException noPartitions) {
      net = Optional.empty();
    }
    return new Nemesis(cluster, net, probe, rng, Duration.ofSeconds(15));
  }

  /** The leader most running nodes name now. */
  public Optional<String> leader() {
    return cluster.leader(probe);
  }

  /** The nodes {@code target} picks now, with this nemesis's generator and the current leader. */
  public List<String> pick(Target target) {
    Optional<String> leader = target == Target.LEADER ? leader() : Optional.empty();
    return Targets.pick(target, cluster.nodeIds(), leader, rng);
  }

  public FaultOutcome start(Fault fault) {
    var value = new LinkedHashMap<>(fault.asValue());
    try {
      switch (fault.kind()) {
        case PARTITION -> requireNet().partition(fault.grudge());
        case KILL -> fault.targets().forEach(cluster::kill);
        case PAUSE -> fault.targets().forEach(cluster::pause);
        case WAL_TRUNCATE, WAL_BITFLIP -> value.put("damage", damage(fault));
        case CLOCK -> {
          for (String node : fault.targets()) {
            cluster.restart(node, fault.clockFault().env());
            skewed.add(node);
          }
        }
      }
      return new FaultOutcome(fault, fault.startName(), value, Optional.empty());
    } catch (RuntimeException e) {
      return failed(fault, fault.startName(), value, e);
    }
  }

  public FaultOutcome stop(Fault fault) {
    var value = new LinkedHashMap<>(fault.asValue());
    try {
      switch (fault.kind()) {
        case PARTITION -> requireNet().heal();
        case KILL ->
            fault.targets().stream().filter(n -> !cluster.state(n).isUp()).forEach(cluster::start);
        case PAUSE -> fault.targets().forEach(cluster::resume);
        case WAL_TRUNCATE, WAL_BITFLIP -> {
          var states = new LinkedHashMap<String, Object>();
          for (String node : fault.targets()) {
            if (!cluster.state(node).isUp()) {
              cluster.start(node);
            }
            states.put(node, awaitReadyOrExit(node));
          }
          value.put("nodes", states);
        }
        case CLOCK -> {
          for (String node : fault.targets()) {
            cluster.restart(node, Map.of());
            skewed.remove(node);
          }
        }
      }
      return new FaultOutcome(fault, fault.stopName(), value, Optional.empty());
    } catch (RuntimeException e) {
      return failed(fault, fault.stopName(), value, e);
    }
  }

  /**
   * Heals the network, resumes paused nodes, restores real clocks and starts every node that is
   * down, carrying on past each failure. Returns the failures (empty when all is back).
   */
  public List<String> healAll() {
    var problems = new ArrayList<String>();
    net.ifPresent(n -> attempt(problems, "heal the network", n::heal));
    for (String node : cluster.nodeIds()) {
      NodeState state = cluster.state(node);
      if (state.phase() == Phase.PAUSED) {
        attempt(problems, "resume " + node, () -> cluster.resume(node));
      }
    }
    for (String node : List.copyOf(skewed)) {
      attempt(
          problems,
          "restore the clock of " + node,
          () -> {
            cluster.restart(node, Map.of());
            skewed.remove(node);
          });
    }
    for (String node : cluster.nodeIds()) {
      if (!cluster.state(node).isUp()) {
        attempt(problems, "start " + node, () -> cluster.start(node));
      }
    }
    return problems;
  }

  private WalDamage damage(Fault fault) {
    String node = fault.targets().get(0);
    cluster.kill(node);
    return switch (fault.kind()) {
      case WAL_TRUNCATE ->
          WalFaults.truncateTail(cluster.dataDir(node), fault.intParam("max-bytes"), rng);
      case WAL_BITFLIP ->
          WalFaults.flipBits(
              cluster.dataDir(node), fault.intParam("bits"), fault.intParam("tail-bytes"), rng);
      default -> throw new IllegalArgumentException("not a disk fault: " + fault.kind());
    };
  }

  /** {@code ready}, {@code exited <code>} or {@code running, not ready after <n> ms}. */
  private String awaitReadyOrExit(String node) {
    long deadline = System.nanoTime() + readyWait.toNanos();
    while (System.nanoTime() < deadline) {
      NodeState state = cluster.state(node);
      if (!state.isUp()) {
        return "exited " + state.exitCode().orElse(-1);
      }
      try {
        if (probe.leaderSeenBy(cluster.address(node)).isPresent()) {
          return "ready";
        }
      } catch (Exception notYet) {
        // Still starting.
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    return "running, not ready after " + readyWait.toMillis() + " ms";
  }

  private Net requireNet() {
    return net.orElseThrow(
        () ->
            new UnsupportedOperationException(
                "partitions need the network sandbox: run inside NetworkSandbox with SandboxNet"));
  }

  private static FaultOutcome failed(
      Fault fault, String f, Map<String, Object> value, RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new FaultOutcome(fault, f, value, Optional.of(message));
  }

  private static void attempt(List<String> problems, String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      problems.add("could not " + what + ": " + e.getMessage());
    }
  }

  /** The grudge in force, or none without a network. */
  public Grudge currentGrudge() {
    return net.map(Net::current).orElse(Grudge.NONE);
  }
}
