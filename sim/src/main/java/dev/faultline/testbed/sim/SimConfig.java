package dev.faultline.testbed.sim;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything a simulation run depends on besides its seed: what runs ({@link Run}), how the network
 * misbehaves ({@link Network}) and what the nemesis does ({@link Faults}). Times are simulated
 * milliseconds; probabilities are per message (network) or per fault step (nemesis).
 *
 * @param run the cluster, the clients and how long each phase lasts
 * @param network message loss, duplication and delay
 * @param faults the nemesis' steps and their weights
 */
public record SimConfig(Run run, Network network, Faults faults) {

  /** The workloads the simulator runs, its own first. */
  public static final List<String> WORKLOADS = List.of("registers", "kv", "register", "churn");

  /**
   * @param nodes cluster size
   * @param faultMillis how long faults are injected before everything heals
   * @param livenessMillis after healing, how long the cluster has to elect a leader, resolve every
   *     pending request and converge
   * @param clients concurrent client processes
   * @param keys how many registers the clients use
   * @param snapshotEvery entries applied between snapshots
   * @param bug the deliberate bug switched on, or null
   * @param workload the client workload: {@code registers} (the simulator's own), {@code kv},
   *     {@code register} or {@code churn}
   */
  public record Run(
      int nodes,
      long faultMillis,
      long livenessMillis,
      int clients,
      int keys,
      long snapshotEvery,
      SimBug bug,
      String workload) {
    public Run {
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
    }
  }

  /**
   * @param drop probability a message is lost
   * @param duplicate probability a message is delivered twice
   * @param slow probability a message is delayed by up to {@code slowMillis} (so reordered)
   * @param slowMillis the longest extra delay of a slow message
   */
  public record Network(double drop, double duplicate, double slow, long slowMillis) {
    public Network {
      for (double p : new double[] {drop, duplicate, slow}) {
        if (p < 0 || p > 1) {
          throw new IllegalArgumentException("probabilities must be within [0, 1], was " + p);
        }
      }
    }
  }

  /**
   * @param everyMillis mean time between nemesis steps
   * @param partition weight of a partition step (symmetric or one-way)
   * @param crash weight of a crash-and-restart step (unsynced writes lost, the last maybe torn)
   * @param pause weight of a pause step (the process stops, then resumes)
   * @param clog weight of a clog step (one link becomes very slow)
   * @param flap probability that a newly elected leader is cut off or killed at once
   * @param randomize scale each fault probability per seed, so a sweep covers many mixes
   */
  public record Faults(
      long everyMillis,
      double partition,
      double crash,
      double pause,
      double clog,
      double flap,
      boolean randomize) {}

  /** The default mix: tuned so every deliberate bug is caught within 1,000 seeds. */
  public static SimConfig defaults() {
    return new SimConfig(
        new Run(5, 3_000, 4_000, 5, 3, 64, null, "registers"),
        new Network(0.02, 0.02, 0.05, 60),
        new Faults(150, 1, 1, 1, 0.5, 0.6, true));
  }

  public int nodes() {
    return run.nodes();
  }

  public long faultMillis() {
    return run.faultMillis();
  }

  public long livenessMillis() {
    return run.livenessMillis();
  }

  public int clients() {
    return run.clients();
  }

  public int keys() {
    return run.keys();
  }

  public long snapshotEvery() {
    return run.snapshotEvery();
  }

  public SimBug bug() {
    return run.bug();
  }

  public String workload() {
    return run.workload();
  }

  public double drop() {
    return network.drop();
  }

  public double duplicate() {
    return network.duplicate();
  }

  public double slow() {
    return network.slow();
  }

  public long slowMillis() {
    return network.slowMillis();
  }

  public long faultEveryMillis() {
    return faults.everyMillis();
  }

  public double partition() {
    return faults.partition();
  }

  public double crash() {
    return faults.crash();
  }

  public double pause() {
    return faults.pause();
  }

  public double clog() {
    return faults.clog();
  }

  public double flap() {
    return faults.flap();
  }

  public boolean randomizeFaults() {
    return faults.randomize();
  }

  public SimConfig withRun(Run r) {
    return new SimConfig(r, network, faults);
  }

  public SimConfig withFaults(Faults f) {
    return new SimConfig(run, network, f);
  }

  public SimConfig withNodes(int n) {
    Run r = run;
    return withRun(
        new Run(
            n,
            r.faultMillis(),
            r.livenessMillis(),
            r.clients(),
            r.keys(),
            r.snapshotEvery(),
            r.bug(),
            r.workload()));
  }

  public SimConfig withFaultMillis(long ms) {
    Run r = run;
    return withRun(
        new Run(
            r.nodes(),
            ms,
            r.livenessMillis(),
            r.clients(),
            r.keys(),
            r.snapshotEvery(),
            r.bug(),
            r.workload()));
  }

  public SimConfig withBug(SimBug b) {
    Run r = run;
    return withRun(
        new Run(
            r.nodes(),
            r.faultMillis(),
            r.livenessMillis(),
            r.clients(),
            r.keys(),
            r.snapshotEvery(),
            b,
            r.workload()));
  }

  public SimConfig withWorkload(String w) {
    Run r = run;
    return withRun(
        new Run(
            r.nodes(),
            r.faultMillis(),
            r.livenessMillis(),
            r.clients(),
            r.keys(),
            r.snapshotEvery(),
            r.bug(),
            w));
  }

  public SimConfig withNetwork(double drop, double duplicate, double slow) {
    return new SimConfig(run, new Network(drop, duplicate, slow, network.slowMillis()), faults);
  }

  public SimConfig withFaultWeights(double partition, double crash, double pause, double clog) {
    Faults f = faults;
    return withFaults(
        new Faults(f.everyMillis(), partition, crash, pause, clog, f.flap(), f.randomize()));
  }

  public SimConfig withFlap(double flap) {
    Faults f = faults;
    return withFaults(
        new Faults(
            f.everyMillis(), f.partition(), f.crash(), f.pause(), f.clog(), flap, f.randomize()));
  }

  public SimConfig withFaultEvery(long ms) {
    Faults f = faults;
    return withFaults(
        new Faults(ms, f.partition(), f.crash(), f.pause(), f.clog(), f.flap(), f.randomize()));
  }

  public SimConfig withRandomizeFaults(boolean on) {
    Faults f = faults;
    return withFaults(
        new Faults(f.everyMillis(), f.partition(), f.crash(), f.pause(), f.clog(), f.flap(), on));
  }

  /** This mix as one seed sees it: each probability and weight scaled by a factor in [0, 2). */
  SimConfig forSeed(SplittableRandom random) {
    if (!faults.randomize()) {
      return this;
    }
    // The draws keep their order (drop, duplicate, slow, every, partition, ... flap) so a seed
    // replays the mix it always had.
    Network n =
        new Network(
            Math.min(1, drop() * 2 * random.nextDouble()),
            Math.min(1, duplicate() * 2 * random.nextDouble()),
            Math.min(1, slow() * 2 * random.nextDouble()),
            slowMillis());
    Faults f =
        new Faults(
            Math.max(20, (long) (faultEveryMillis() * (0.5 + random.nextDouble()))),
            partition() * 2 * random.nextDouble(),
            crash() * 2 * random.nextDouble(),
            pause() * 2 * random.nextDouble(),
            clog() * 2 * random.nextDouble(),
            Math.min(1, flap() * 2 * random.nextDouble()),
            false);
    return new SimConfig(run, n, f);
  }

  @Override
  public String toString() {
    return String.format(
        "nodes=%d faults=%dms liveness=%dms clients=%d keys=%d drop=%.3f dup=%.3f slow=%.3f"
            + " every=%dms partition=%.2f crash=%.2f pause=%.2f clog=%.2f flap=%.2f bug=%s workload=%s",
        nodes(),
        faultMillis(),
        livenessMillis(),
        clients(),
        keys(),
        drop(),
        duplicate(),
        slow(),
        faultEveryMillis(),
        partition(),
        crash(),
        pause(),
        clog(),
        flap(),
        bug() == null ? "none" : bug().cliName(),
        workload());
  }
}
