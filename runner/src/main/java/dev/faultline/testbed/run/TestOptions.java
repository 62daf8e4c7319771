package dev.faultline.testbed.run;

import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.testbed.run.system.SystemCheck;
import dev.faultline.testbed.run.system.SystemSpec;
import dev.faultline.testbed.run.system.SystemUnderTest;
import dev.faultline.testbed.run.system.Systems;
import dev.faultline.workloads.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that decides what one {@code faultline test} run does, in groups: a {@code withX}
 * replaces one group and passes the others on. Together with the commit of the jar, the seed
 * replays the same schedule of operations and faults.
 *
 * @param cluster the nodes: how many, and a deliberate bug for each
 * @param load the clients and what they do
 * @param faults which faults, how long each window lasts, and the recovery after them
 * @param runs how many runs and where their directories go
 * @param backend where the nodes run and how they are reached (TLS or not)
 * @param system the system under test ({@code --db}, {@code --db-option}, {@code --db-cmd})
 */
public record TestOptions(
    Cluster cluster, Load load, Faults faults, Runs runs, Backend backend, SystemSpec system) {

  /**
   * @param nodes cluster size
   * @param bug a deliberate bug passed to every node ({@code --bug NAME}), if any
   */
  public record Cluster(int nodes, Optional<String> bug) {}

  /**
   * @param workload {@code kv}, {@code register} or {@code set}
   * @param timeLimit length of the main phase
   * @param concurrency client processes at once
   * @param rate ops per second over all processes, 0 for as fast as they go
   * @param protocol {@code http} or {@code grpc}
   * @param seed the source of every choice: ops, fault times, shapes and targets
   */
  public record Load(
      String workload,
      Duration timeLimit,
      int concurrency,
      double rate,
      String protocol,
      long seed) {

    /** The same load with another seed. */
    public Load withSeed(long s) {
      return new Load(workload, timeLimit, concurrency, rate, protocol, s);
    }
  }

  /**
   * @param nemesis the fault kinds to schedule
   * @param interval typical length of a fault window and of the quiet gap after it
   * @param recoveryWait after healing, how long to wait for a leader before the final reads
   */
  public record Faults(NemesisChoice nemesis, Duration interval, Duration recoveryWait) {}

  /**
   * @param testCount how many runs (seeds seed, seed+1, ...)
   * @param store where run directories go
   */
  public record Runs(int testCount, Path store) {}

  public static final List<String> PROTOCOLS = List.of("http", "grpc");

  /** Options with the default backend: plaintext nodes on this machine. */
  public TestOptions(
      int nodes,
      String workload,
      NemesisChoice nemesis,
      Duration timeLimit,
      int concurrency,
      double rate,
      String protocol,
      long seed,
      Optional<String> bug,
      int testCount,
      Path store,
      Duration recoveryWait,
      Duration interval) {
    this(
        nodes,
        workload,
        nemesis,
        timeLimit,
        concurrency,
        rate,
        protocol,
        seed,
        bug,
        testCount,
        store,
        recoveryWait,
        interval,
        Backend.DEFAULT);
  }

  /** Options given one by one, as the command line has them. */
  public TestOptions(
      int nodes,
      String workload,
      NemesisChoice nemesis,
      Duration timeLimit,
      int concurrency,
      double rate,
      String protocol,
      long seed,
      Optional<String> bug,
      int testCount,
      Path store,
      Duration recoveryWait,
      Duration interval,
      Backend backend,
      SystemSpec system) {
    this(
        new Cluster(nodes, bug),
        new Load(workload, timeLimit, concurrency, rate, protocol, seed),
        new Faults(nemesis, interval, recoveryWait),
        new Runs(testCount, store),
        backend,
        system);
  }

  /** Options testing our own node ({@code --db faultline}). */
  public TestOptions(
      int nodes,
      String workload,
      NemesisChoice nemesis,
      Duration timeLimit,
      int concurrency,
      double rate,
      String protocol,
      long seed,
      Optional<String> bug,
      int testCount,
      Path store,
      Duration recoveryWait,
      Duration interval,
      Backend backend) {
    this(
        nodes,
        workload,
        nemesis,
        timeLimit,
        concurrency,
        rate,
        protocol,
        seed,
        bug,
        testCount,
        store,
        recoveryWait,
        interval,
        backend,
        SystemSpec.FAULTLINE);
  }

  public TestOptions {
    int nodes = cluster.nodes();
    Optional<String> bug = cluster.bug();
    String workload = load.workload();
    Duration timeLimit = load.timeLimit();
    int concurrency = load.concurrency();
    double rate = load.rate();
    String protocol = load.protocol();
    NemesisChoice nemesis = faults.nemesis();
    Duration recoveryWait = faults.recoveryWait();
    Duration interval = faults.interval();
    int testCount = runs.testCount();
    if (nodes < 1 || nodes > 253) {
      throw new IllegalArgumentException("--nodes " + nodes + ": use 1..253 (5 is usual)");
    }
    Workload.named(workload);
    if (nemesis.needsPartitions() && nodes < 2) {
      throw new IllegalArgumentException("--nemesis partition needs --nodes 2 or more");
    }
    if (timeLimit.isNegative() || timeLimit.isZero()) {
      throw new IllegalArgumentException(
          "--time-limit must be positive, was " + seconds(timeLimit));
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be at least 1, was " + concurrency);
    }
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be a number >= 0 (0: no limit), was " + rate);
    }
    if (!PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException("--protocol " + protocol + ": use http or grpc");
    }
    if (testCount < 1) {
      throw new IllegalArgumentException("--test-count must be at least 1, was " + testCount);
    }
    if (recoveryWait.isNegative()) {
      throw new IllegalArgumentException("--recovery-wait must not be negative");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("--interval must be positive, was " + seconds(interval));
    }
    if (backend.proxiedLinks() && nodes < 2) {
      throw new IllegalArgumentException(
          "--nodes 1 has no peer links to proxy: use --nodes 2 or more with Toxiproxy");
    }
    if (backend.cluster() == Backend.Cluster.DOCKER && nemesis.kinds().contains(FaultKind.CLOCK)) {
      throw new IllegalArgumentException(
          "--nemesis "
              + nemesis.spec()
              + " includes clock, which cannot skew a container (the node image has no"
              + " libfaketime): list the faults without clock for --cluster docker");
    }
    for (FaultKind k : nemesis.kinds()) {
      if (k.onLinks() && !backend.proxiedLinks()) {
        throw new IllegalArgumentException(
            "--nemesis "
                + k.cliName()
                + " acts on peer links through Toxiproxy: add --net toxiproxy (with"
                + " toxiproxy-server running) or use --cluster docker");
      }
    }
    bug.ifPresent(
        b -> {
          if (b.isBlank() || b.contains(" ")) {
            throw new IllegalArgumentException("--bug '" + b + "': one bug name, e.g. stale-read");
          }
        });
    SystemCheck.refuse(
        Systems.of(system),
        workload,
        nemesis.kinds(),
        new SystemUnderTest.RunShape(
            backend.tls(),
            backend.proxiedLinks(),
            backend.cluster() == Backend.Cluster.DOCKER,
            bug,
            protocol,
            nodes));
  }

  /** The same options with another seed (the i-th run of {@code --test-count}). */
  public TestOptions withSeed(long s) {
    return new TestOptions(cluster, load.withSeed(s), faults, runs, backend, system);
  }

  /** The same options on another backend. */
  public TestOptions withBackend(Backend b) {
    return new TestOptions(cluster, load, faults, runs, b, system);
  }

  /** The same options testing another system. */
  public TestOptions withSystem(SystemSpec s) {
    return new TestOptions(cluster, load, faults, runs, backend, s);
  }

  public int nodes() {
    return cluster.nodes();
  }

  public Optional<String> bug() {
    return cluster.bug();
  }

  public String workload() {
    return load.workload();
  }

  public Duration timeLimit() {
    return load.timeLimit();
  }

  public int concurrency() {
    return load.concurrency();
  }

  public double rate() {
    return load.rate();
  }

  public String protocol() {
    return load.protocol();
  }

  public long seed() {
    return load.seed();
  }

  public NemesisChoice nemesis() {
    return faults.nemesis();
  }

  public Duration interval() {
    return faults.interval();
  }

  public Duration recoveryWait() {
    return faults.recoveryWait();
  }

  public int testCount() {
    return runs.testCount();
  }

  public Path store() {
    return runs.store();
  }

  /** The system under test, its options checked. */
  public SystemUnderTest systemUnderTest() {
    return Systems.of(system);
  }

  /** Node ids {@code n1..nN}. */
  public List<String> nodeIds() {
    return java.util.stream.IntStream.rangeClosed(1, nodes()).mapToObj(i -> "n" + i).toList();
  }

  /**
   * The run directory's name under the store, e.g. {@code kv-partition+kill+pause}, prefixed with
   * the system when it is not our own node ({@code etcd-kv-partition}).
   */
  public String runName() {
    String name = workload() + "-" + nemesis().dirName();
    return system.name().equals(SystemSpec.FAULTLINE.name()) ? name : system.name() + "-" + name;
  }

  /** Every option as plain values, for test.json. */
  public Map<String, Object> toMap() {
    var m = new LinkedHashMap<String, Object>();
    m.put("nodes", nodes());
    m.put("workload", workload());
    m.put("nemesis", nemesis().spec());
    m.put("faults", FaultKind.names(nemesis().kinds()));
    m.put("time_limit_s", seconds(timeLimit()));
    m.put("concurrency", concurrency());
    m.put("rate", rate());
    m.put("protocol", protocol());
    m.put("seed", seed());
    m.put("bug", bug().orElse(null));
    m.put("test_count", testCount());
    m.put("store", store().toString());
    m.put("recovery_wait_s", seconds(recoveryWait()));
    m.put("interval_s", seconds(interval()));
    m.putAll(backend.toMap());
    m.put("db", system.name());
    m.put("db_options", systemUnderTest().options());
    m.put("db_cmd", system.command().orElse(null));
    return m;
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
