package dev.faultline.testbed.sim;

import java.util.SplittableRandom;

/**
 * Everything a simulation run depends on besides its seed. Times are simulated milliseconds;
 * probabilities are per message (network) or per fault step (nemesis).
 *
 * @param nodes cluster size
 * @param faultMillis how long faults are injected before everything heals
 * @param livenessMillis after healing, how long the cluster has to elect a leader, resolve every
 *     pending request and converge
 * @param clients concurrent client processes
 * @param keys how many registers the clients use
 * @param drop probability a message is lost
 * @param duplicate probability a message is delivered twice
 * @param slow probability a message is delayed by up to {@code slowMillis} (so reordered)
 * @param slowMillis the longest extra delay of a slow message
 * @param faultEveryMillis mean time between nemesis steps
 * @param partition weight of a partition step (symmetric or one-way)
 * @param crash weight of a crash-and-restart step (unsynced writes lost, the last maybe torn)
 * @param pause weight of a pause step (the process stops, then resumes)
 * @param clog weight of a clog step (one link becomes very slow)
 * @param flap probability that a newly elected leader is cut off or killed at once
 * @param snapshotEvery entries applied between snapshots
 * @param bug the deliberate bug switched on, or null
 * @param workload the client workload: {@code registers} (the simulator's own), {@code kv}, {@code
 *     register} or {@code churn}
 * @param randomizeFaults scale each fault probability per seed, so a sweep covers many mixes
 */
public record SimConfig(
    int nodes,
    long faultMillis,
    long livenessMillis,
    int clients,
    int keys,
    double drop,
    double duplicate,
    double slow,
    long slowMillis,
    long faultEveryMillis,
    double partition,
    double crash,
    double pause,
    double clog,
    double flap,
    long snapshotEvery,
    SimBug bug,
    String workload,
    boolean randomizeFaults) {

  public SimConfig {
    if (nodes < 1 || nodes > 9) {
      throw new IllegalArgumentException("--nodes must be between 1 and 9, was " + nodes);
    }
    if (!WORKLOADS.contains(workload)) {
      throw new IllegalArgumentException(
          "--workload: unknown workload '"
              + workload
              + "'; the simulator runs "
              + String.join(", ", WORKLOADS));
    }
    if (clients < 1 || keys < 1) {
      throw new IllegalArgumentException("need at least one client and one key");
    }
    for (double p : new double[] {drop, duplicate, slow}) {
      if (p < 0 || p > 1) {
        throw new IllegalArgumentException("probabilities must be within [0, 1], was " + p);
      }
    }
  }

  /** The workloads the simulator runs, its own first. */
  public static final java.util.List<String> WORKLOADS =
      java.util.List.of("registers", "kv", "register", "churn");

  /** The default mix: tuned so every deliberate bug is caught within 1,000 seeds. */
  public static SimConfig defaults() {
    return new SimConfig(
        5,
        3_000,
        4_000,
        5,
        3,
        0.02,
        0.02,
        0.05,
        60,
        150,
        1,
        1,
        1,
        0.5,
        0.6,
        64,
        null,
        "registers",
        true);
  }

  public SimConfig withNodes(int n) {
    return new SimConfig(
        n,
        faultMillis,
        livenessMillis,
        clients,
        keys,
        drop,
        duplicate,
        slow,
        slowMillis,
        faultEveryMillis,
        partition,
        crash,
        pause,
        clog,
        flap,
        snapshotEvery,
        bug,
        workload,
        randomizeFaults);
  }

  public SimConfig withFaultMillis(long ms) {
    return new SimConfig(
        nodes,
        ms,
        livenessMillis,
        clients,
        keys,
        drop,
        duplicate,
        slow,
        slowMillis,
        faultEveryMillis,
        partition,
        crash,
        pause,
        clog,
        flap,
        snapshotEvery,
        bug,
        workload,
        randomizeFaults);
  }

  public SimConfig withBug(SimBug b) {
    return new SimConfig(
        nodes,
        faultMillis,
        livenessMillis,
        clients,
        keys,
        drop,
        duplicate,
        slow,
        slowMillis,
        faultEveryMillis,
        partition,
        crash,
        pause,
        clog,
        flap,
        snapshotEvery,
        b,
        workload,
        randomizeFaults);
  }

  public SimConfig withNetwork(double drop, double duplicate, double slow) {
    return new SimConfig(
        nodes,
        faultMillis,
        livenessMillis,
        clients,
        keys,
        drop,
        duplicate,
        slow,
        slowMillis,
        faultEveryMillis,
        partition,
        crash,
        pause,
        clog,
        flap,
        snapshotEvery,
        bug,
        workload,
        randomizeFaults);
  }

  public SimConfig withFaultWeights(double partition, double crash, double pause, double clog) {
    return new SimConfig(
        nodes,
        faultMillis,
        livenessMillis,
        clients,
        keys,
        drop,
        duplicate,
        slow,
        slowMillis,
        faultEveryMillis,
        partition,
        crash,
        pause,
        clog,
        flap,
        snapshotEvery,
        bug,
        workload,
        randomizeFaults);
  }

  public SimConfig withFlap(double flap) {
    return new SimConfig(
        nodes,
        faultMillis,
        livenessMillis,
        clients,
        keys,
        drop,
        duplicate,
        slow,
        slowMillis,
        faultEveryMillis,
        partition,
        crash,
        pause,
        clog,
        flap,
        snapshotEvery,
        bug,
        workload,
        randomizeFaults);
  }

  public SimConfig withFaultEvery(long ms) {
    return new SimConfig(
        nodes,
        faultMillis,
        livenessMillis,
        clients,
        keys,
        drop,
        duplicate,
        slow,
        slowMillis,
        ms,
        partition,
        crash,
        pause,
        clog,
        flap,
        snapshotEvery,
        bug,
        workload,
        randomizeFaults);
  }

  public SimConfig withRandomizeFaults(boolean on) {
    return new SimConfig(
        nodes,
        faultMillis,
        livenessMillis,
        clients,
        keys,
        drop,
        duplicate,
        slow,
        slowMillis,
        faultEveryMillis,
        partition,
        crash,
        pause,
        clog,
        flap,
        snapshotEvery,
        bug,
        workload,
        on);
  }

  /** This mix as one seed sees it: each probability and weight scaled by a factor in [0, 2). */
  SimConfig forSeed(SplittableRandom random) {
    if (!randomizeFaults) {
      return this;
    }
    return new SimConfig(
        nodes,
        faultMillis,
        livenessMillis,
        clients,
        keys,
        Math.min(1, drop * 2 * random.nextDouble()),
        Math.min(1, duplicate * 2 * random.nextDouble()),
        Math.min(1, slow * 2 * random.nextDouble()),
        slowMillis,
        Math.max(20, (long) (faultEveryMillis * (0.5 + random.nextDouble()))),
        partition * 2 * random.nextDouble(),
        crash * 2 * random.nextDouble(),
        pause * 2 * random.nextDouble(),
        clog * 2 * random.nextDouble(),
        Math.min(1, flap * 2 * random.nextDouble()),
        snapshotEvery,
        bug,
        workload,
        false);
  }

  public SimConfig withWorkload(String w) {
    return new SimConfig(
        nodes,
        faultMillis,
        livenessMillis,
        clients,
        keys,
        drop,
        duplicate,
        slow,
        slowMillis,
        faultEveryMillis,
        partition,
        crash,
        pause,
        clog,
        flap,
        snapshotEvery,
        bug,
        w,
        randomizeFaults);
  }

  @Override
  public String toString() {
    return String.format(
        "nodes=%d faults=%dms liveness=%dms clients=%d keys=%d drop=%.3f dup=%.3f slow=%.3f"
            + " every=%dms partition=%.2f crash=%.2f pause=%.2f clog=%.2f flap=%.2f bug=%s workload=%s",
        nodes,
        faultMillis,
        livenessMillis,
        clients,
        keys,
        drop,
        duplicate,
        slow,
        faultEveryMillis,
        partition,
        crash,
        pause,
        clog,
        flap,
        bug == null ? "none" : bug.cliName(),
        workload);
  }
}
