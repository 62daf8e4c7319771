package dev.faultline.testbed;

import dev.faultline.nemesis.faults.ClockFault;
import dev.faultline.nemesis.net.NetworkSandbox;
import dev.faultline.testbed.run.Backend;
import dev.faultline.testbed.run.DockerDeployment;
import dev.faultline.testbed.run.LocalDeployment;
import dev.faultline.testbed.run.NemesisChoice;
import dev.faultline.testbed.run.NodeCommandLine;
import dev.faultline.testbed.run.RunPreconditions;
import dev.faultline.testbed.run.RunVerdict;
import dev.faultline.testbed.run.TestOptions;
import dev.faultline.testbed.run.TestRun;
import dev.faultline.testbed.run.system.SystemSpec;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code faultline test}: runs a real cluster of {@code faultline node} processes in a private
 * network sandbox, drives a workload at it while a seeded nemesis injects faults, checks the
 * history and writes a run directory. See docs/TESTING.md.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a cluster, inject faults while a workload runs, check the history for linearizability.",
      "Writes <store>/<workload>-<nemesis>/<timestamp>/ and links <store>/latest to it.",
      "Exit codes: 0 valid, 1 invalid, 2 unknown, 3 the run itself failed"
          + " (with --test-count, the worst: invalid > failed > unknown > valid)."
    })
public final class TestCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "5", description = "Cluster size (default 5).")
  int nodes;

  @Option(
      names = "--db",
      defaultValue = "faultline",
      description =
          "The system under test: faultline, etcd, zookeeper, redis, or process (with --db-cmd)"
              + " (default ${DEFAULT-VALUE}). See docs/SYSTEMS.md.")
  String db;

  @Option(
      names = "--db-option",
      paramLabel = "KEY=VALUE",
      description =
          "An option of the system, repeatable: etcd reads=linearizable|serializable, zookeeper"
              + " reads=sync|local, redis wait=N.")
  List<String> dbOptions = new ArrayList<>();

  @Option(
      names = "--db-cmd",
      paramLabel = "CMD",
      description =
          "For --db process: the node command, with {id}, {http_port}, {host}, {peers} and"
              + " {data_dir} filled in per node. See docs/PROTOCOL.md.")
  String dbCmd;

  @Option(
      names = "--workload",
      defaultValue = "kv",
      description = "kv, register, set or churn (default ${DEFAULT-VALUE}).")
  String workload;

  @Option(
      names = "--nemesis",
      defaultValue = NemesisChoice.DEFAULT,
      description =
          "none, all, or a comma-separated list of partition, partition-leader, kill, pause, disk,"
              + " clock, and with Toxiproxy latency, bandwidth, flaky (default ${DEFAULT-VALUE}; all ="
              + " partition,kill,pause,disk and clock where libfaketime is installed).")
  String nemesis;

  @Option(
      names = "--time-limit",
      defaultValue = "60",
      paramLabel = "SECONDS",
      description = "Length of the workload's main phase (default 60; 90s, 2m also work).")
  String timeLimit;

  @Option(
      names = "--concurrency",
      defaultValue = "50",
      description = "Client processes at once (default 50).")
  int concurrency;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Ops per second over all clients; 0 = as fast as they go (default 0).")
  double rate;

  @Option(
      names = "--protocol",
      defaultValue = "http",
      description = "Client protocol: http or grpc (default ${DEFAULT-VALUE}).")
  String protocol;

  @Option(
      names = "--seed",
      description = "Seed of the ops and faults; the same seed replays them (default: random).")
  Long seed;

  @Option(
      names = "--bug",
      paramLabel = "NAME",
      description = "Switch on a deliberate bug in every node, e.g. stale-read.")
  String bug;

  @Option(
      names = "--test-count",
      defaultValue = "1",
      description =
          "Runs, with seeds S, S+1, S+2, ... (S = --seed, or random): run i (from 0) uses S+i;"
              + " prints a table (default 1).")
  int testCount;

  @Option(
      names = "--same-seed",
      description =
          "With --test-count, give every run the seed S itself instead of S, S+1, ...: the same"
              + " ops and fault plan each time, so runs differ only in how the cluster behaved.")
  boolean sameSeed;

  @Option(
      names = "--store",
      defaultValue = "runs",
      paramLabel = "DIR",
      description = "Where run directories go (default ./runs).")
  Path store;

  @Option(
      names = "--recovery-wait",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description =
          "After healing, how long to wait for a leader before the final reads" + " (default 10).")
  String recoveryWait;

  @Option(
      names = "--interval",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "Typical length of a fault and of the quiet gap after it (default 10).")
  String interval;

  @Option(
      names = "--tls",
      description =
          "Run the nodes with TLS and bearer tokens from a CA generated for the run (in"
              + " <run>/work/tls); clients use HTTPS or gRPC over TLS with a write token.")
  boolean tls;

  @Option(
      names = "--net",
      defaultValue = "sandbox",
      description =
          "sandbox (partitions by iptables in a private network namespace) or toxiproxy (local"
              + " nodes on loopback, every peer link through a proxy of --toxiproxy; allows the"
              + " latency, bandwidth and flaky nemeses) (default ${DEFAULT-VALUE}).")
  String net;

  @Option(
      names = "--toxiproxy",
      defaultValue = "http://127.0.0.1:8474",
      paramLabel = "URL",
      description =
          "The API of the toxiproxy-server for --net toxiproxy (default ${DEFAULT-VALUE}).")
  String toxiproxy;

  @Option(
      names = "--cluster",
      defaultValue = "local",
      description =
          "local (node processes on this machine) or docker (containers built from the Dockerfile,"
              + " peer links through a Toxiproxy container; needs a Docker engine)"
              + " (default ${DEFAULT-VALUE}).")
  String cluster;

  @Override
  public Integer call() {
    PrintStream err = System.err;
    TestOptions options;
    try {
      options = options(seed == null ? new SecureRandom().nextLong() >>> 1 : seed);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Optional<String> refused = TestPreflight.refusal(options);
    if (refused.isPresent()) {
      err.println("faultline test: " + refused.get());
      return ExitCode.ERROR;
    }
    Optional<String> missing = RunPreconditions.unmet(options.backend());
    if (missing.isPresent()) {
      err.println("faultline test: " + missing.get());
      return ExitCode.ERROR;
    }
    if (!NetworkSandbox.isInside()) {
      // Installs the system's packages, if need be, while this process can still reach them.
      try {
        options.systemUnderTest().install();
      } catch (IllegalStateException e) {
        err.println("faultline test: --db " + options.system().name() + ": " + e.getMessage());
        return ExitCode.ERROR;
      }
    }
    if (!options.backend().needsSandbox()) {
      return runAll(options, err);
    }
    if (!NetworkSandbox.isInside()) {
      Optional<String> unavailable = NetworkSandbox.unavailableReason();
      if (unavailable.isEmpty()) {
        return NetworkSandbox.reexecInside(argsWithSeed(options.seed()));
      }
      if (options.nemesis().needsPartitions()) {
        err.println(
            "faultline test: --nemesis "
                + options.nemesis().spec()
                + " needs the network sandbox for partitions, which is unavailable: "
                + unavailable.get());
        return ExitCode.ERROR;
      }
      err.println(
          "faultline test: warning: network sandbox unavailable ("
              + unavailable.get()
              + "); running the nodes on loopback, which is fine without partitions");
    }
    return runAll(options, err);
  }

  /** The options as given, with {@code seed} for the first run. */
  TestOptions options(long firstSeed) {
    TestPreflight.requireKnownBug(bug);
    return new TestOptions(
        nodes,
        workload,
        NemesisChoice.parse(nemesis, ClockFault.library().isPresent()),
        duration("--time-limit", timeLimit),
        concurrency,
        rate,
        protocol.toLowerCase(Locale.ROOT),
        firstSeed,
        Optional.ofNullable(bug),
        testCount,
        store,
        duration("--recovery-wait", recoveryWait),
        duration("--interval", interval),
        new Backend(
            Backend.Cluster.parse(cluster), Backend.Net.parse(net), toxiproxyApi(toxiproxy), tls),
        SystemSpec.parse(db, dbOptions, dbCmd));
  }

  private static URI toxiproxyApi(String text) {
    try {
      return new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--toxiproxy " + text + ": not a URL; write e.g. http://127.0.0.1:8474");
    }
  }

  private static Duration duration(String option, String text) {
    try {
      return DurationConverter.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " " + e.getMessage());
    }
  }

  /**
   * How long a signal (SIGINT, SIGTERM) waits for the interrupted run to heal, tear down, check and
   * write its results before the process exits anyway.
   */
  static final Duration INTERRUPT_WAIT = Duration.ofMinutes(3);

  private int runAll(TestOptions options, PrintStream err) {
    PrintStream out = System.out;
    var current = new AtomicReference<TestRun>();
    var interrupted = new AtomicBoolean();
    var done = new CountDownLatch(1);
    // A signal starts the JVM's shutdown; this hook holds it until the run in progress has
    // healed the cluster, collected the logs and written its results, marked interrupted.
    Thread hook =
        new Thread(
            () -> {
              interrupted.set(true);
              err.println(
                  "faultline test: interrupted: stopping the workload, healing, collecting the"
                      + " node logs and writing the results (up to "
                      + INTERRUPT_WAIT.toMinutes()
                      + " min)");
              TestRun run = current.get();
              if (run != null) {
                run.interrupt("signal");
              }
              try {
                if (!done.await(INTERRUPT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                  err.println(
                      "faultline test: the interrupted run did not finish within "
                          + INTERRUPT_WAIT.toMinutes()
                          + " min; its run directory may be incomplete");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "faultline-test-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return runAll(options, err, out, current, interrupted);
    } finally {
      out.flush();
      err.flush();
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it returns now that the run is done.
      }
    }
  }

  private int runAll(
      TestOptions options,
      PrintStream err,
      PrintStream out,
      AtomicReference<TestRun> current,
      AtomicBoolean interrupted) {
    List<String> commandLine = originalArgs();
    var verdicts = new ArrayList<RunVerdict>();
    var rows = new ArrayList<String>();
    for (int i = 0; i < options.testCount() && !interrupted.get(); i++) {
      TestOptions one = options.withSeed(seedOfRun(options.seed(), i, sameSeed));
      TestRun run =
          new TestRun(
              one,
              options.backend().cluster() == Backend.Cluster.DOCKER
                  ? DockerDeployment.factory(DockerDeployment.projectRoot())
                  : LocalDeployment.factory(NodeCommandLine.thisProgram()),
              commandLine,
              VersionProvider.commit(),
              err,
              System.console() != null,
              TestRun.Timing.defaults());
      current.set(run);
      if (interrupted.get()) {
        run.interrupt("signal");
      }
      TestRun.Outcome outcome = run.run();
      verdicts.add(outcome.verdict());
      out.println("faultline test: " + outcome.summary());
      for (String w : outcome.warnings()) {
        out.println("faultline test: warning: " + w);
      }
      outcome
          .run()
          .filter(r -> interrupted.get())
          .ifPresent(
              r ->
                  out.println(
                      "faultline test: interrupted; results and report written to "
                          + r.resultsJson()
                          + " and "
                          + r.dir().resolve("report.html")));
      out.flush();
      rows.add(
          String.format(
              Locale.ROOT,
              "%4d  %20d  %-8s  %s",
              i + 1,
              one.seed(),
              outcome.verdict().name(),
              outcome.run().map(r -> r.dir().toString()).orElse("-")));
    }
    if (options.testCount() > 1) {
      out.println();
      out.printf(Locale.ROOT, "%4s  %20s  %-8s  %s%n", "run", "seed", "verdict", "directory");
      rows.forEach(out::println);
      out.println(table(verdicts));
    }
    out.flush();
    return RunVerdict.worst(verdicts).exitCode();
  }

  /** The seed of run {@code i} (from 0): {@code first + i}, or {@code first} with --same-seed. */
  static long seedOfRun(long first, int i, boolean same) {
    return same ? first : first + i;
  }

  /** E.g. {@code runs 5 valid 4 invalid 1 unknown 0 failed 0}. */
  static String table(List<RunVerdict> verdicts) {
    long[] counts = new long[RunVerdict.values().length];
    verdicts.forEach(v -> counts[v.ordinal()]++);
    return String.format(
        Locale.ROOT,
        "runs %d  valid %d  invalid %d  unknown %d  failed %d",
        verdicts.size(),
        counts[RunVerdict.VALID.ordinal()],
        counts[RunVerdict.INVALID.ordinal()],
        counts[RunVerdict.UNKNOWN.ordinal()],
        counts[RunVerdict.FAILED.ordinal()]);
  }

  private List<String> originalArgs() {
    CommandLine.ParseResult root = spec.root().commandLine().getParseResult();
    return root == null ? List.of() : List.copyOf(root.originalArgs());
  }

  /** The command line to re-execute inside the sandbox, with the seed fixed so both agree. */
  private String[] argsWithSeed(long s) {
    var args = new ArrayList<>(originalArgs());
    if (seed == null) {
      args.add("--seed");
      args.add(Long.toString(s));
    }
    return args.toArray(String[]::new);
  }
}
