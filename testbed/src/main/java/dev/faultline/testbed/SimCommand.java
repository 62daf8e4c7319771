package dev.faultline.testbed;

import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import dev.faultline.testbed.sim.SimBug;
import dev.faultline.testbed.sim.SimConfig;
import dev.faultline.testbed.sim.SimResult;
import dev.faultline.testbed.sim.Simulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code faultline sim}: deterministic simulation of a Raft cluster under faults, one seed or a
 * sweep. Exit 0 when every seed is safe, live and linearizable, 1 on a violation, 3 on an error.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate a Raft cluster in one thread under network, disk and process faults, check safety"
          + " continuously, liveness after healing, and the client history for linearizability.",
      "A seed replays exactly: the same seed prints the same trace hash.",
      "Exit codes: 0 all seeds passed, 1 a violation, 3 an error."
    })
public final class SimCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--seed", description = "Run this one seed.")
  Long seed;

  @Option(
      names = "--seeds",
      description = "Sweep seeds A..B inclusive (default 1..100 when --seed is not given).")
  String seeds;

  @Option(names = "--nodes", description = "Cluster size (default ${DEFAULT-VALUE}).")
  int nodes = 5;

  @Option(
      names = {"--duration", "--steps"},
      description = "Simulated milliseconds of faults before healing (default ${DEFAULT-VALUE}).")
  long duration = SimConfig.defaults().faultMillis();

  @Option(
      names = "--bug",
      description =
          "Switch on a deliberate bug: ${COMPLETION-CANDIDATES} (lost-rebuild-writes needs"
              + " deletes: --workload churn).",
      converter = BugConverter.class,
      completionCandidates = BugNames.class)
  SimBug bug;

  @Option(
      names = "--workload",
      description =
          "Client workload: registers (the simulator's own mix of unique values), kv, register"
              + " or churn (default ${DEFAULT-VALUE}).")
  String workload = SimConfig.defaults().workload();

  @Option(names = "--drop", description = "Message loss probability (default ${DEFAULT-VALUE}).")
  double drop = SimConfig.defaults().drop();

  @Option(names = "--dup", description = "Duplication probability (default ${DEFAULT-VALUE}).")
  double dup = SimConfig.defaults().duplicate();

  @Option(
      names = "--slow",
      description = "Probability a message is delayed up to 60 ms (default ${DEFAULT-VALUE}).")
  double slow = SimConfig.defaults().slow();

  @Option(
      names = "--partition",
      description = "Weight of partitions among faults (default ${DEFAULT-VALUE}).")
  double partition = SimConfig.defaults().partition();

  @Option(
      names = "--crash",
      description = "Weight of crash-restarts among faults (default ${DEFAULT-VALUE}).")
  double crash = SimConfig.defaults().crash();

  @Option(
      names = "--pause",
      description = "Weight of process pauses among faults (default ${DEFAULT-VALUE}).")
  double pause = SimConfig.defaults().pause();

  @Option(
      names = "--clog",
      description = "Weight of clogged links among faults (default ${DEFAULT-VALUE}).")
  double clog = SimConfig.defaults().clog();

  @Option(
      names = "--flap",
      description =
          "Probability a newly elected leader is cut off or killed at once (default ${DEFAULT-VALUE}).")
  double flap = SimConfig.defaults().flap();

  @Option(
      names = "--fault-every",
      description = "Mean simulated ms between faults (default ${DEFAULT-VALUE}).")
  long faultEvery = SimConfig.defaults().faultEveryMillis();

  @Option(
      names = "--fixed-faults",
      description = "Use the fault mix as given for every seed instead of varying it per seed.")
  boolean fixedFaults;

  @Option(names = "--keep-going", description = "In a sweep, continue after a failing seed.")
  boolean keepGoing;

  @Option(
      names = "--out",
      description = "Where failing seeds write trace and history (default ${DEFAULT-VALUE}).")
  Path out = Path.of("runs", "sim");

  @Option(names = "--trace", description = "Also write the trace and history of passing seeds.")
  boolean writeAlways;

  @Option(
      names = "--bench",
      description = "Measure simulated messages per second on one core and exit.")
  boolean bench;

  @Option(
      names = "--bench-seconds",
      description = "Wall seconds the benchmark runs (default ${DEFAULT-VALUE}).")
  int benchSeconds = 10;

  @Override
  public Integer call() throws IOException {
    PrintWriter w = spec.commandLine().getOut();
    if (seed != null && seeds != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--seed "
              + seed
              + " and --seeds "
              + seeds
              + " together: give one (--seed S replays one seed, --seeds A..B sweeps)");
    }
    if (!SimConfig.WORKLOADS.contains(workload)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--workload: unknown workload '"
              + workload
              + "'; the simulator runs "
              + String.join(", ", SimConfig.WORKLOADS)
              + " (set needs a read-modify-write client the simulator does not have yet)");
    }
    SimConfig config =
        SimConfig.defaults()
            .withNodes(nodes)
            .withFaultMillis(duration)
            .withBug(bug)
            .withWorkload(workload)
            .withNetwork(drop, dup, slow)
            .withFaultWeights(partition, crash, pause, clog)
            .withFaultEvery(faultEvery)
            .withFlap(flap)
            .withRandomizeFaults(!fixedFaults);
    if (bench) {
      return bench(w, config);
    }
    long from;
    long to;
    if (seed != null) {
      from = seed;
      to = seed;
    } else {
      String range = seeds == null ? "1..100" : seeds;
      String[] parts = range.split("\\.\\.");
      try {
        from = Long.parseLong(parts[0].trim());
        to = parts.length == 2 ? Long.parseLong(parts[1].trim()) : from;
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--seeds must look like 1..500, got '" + range + "'");
      }
      if (to < from) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--seeds " + range + " is empty; the end must not precede the start");
      }
    }
    w.println("faultline sim: seeds " + from + ".." + to + ", " + config);
    int failed = 0;
    boolean error = false;
    long messages = 0;
    long wall = 0;
    long simulated = 0;
    long first = -1;
    for (long s = from; s <= to; s++) {
      SimResult r = Simulation.run(s, config, false);
      messages += r.messages();
      wall += r.wallNanos();
      simulated += r.simulatedNanos();
      if (from == to) {
        w.printf(
            "seed %d: %s, trace hash %016x, %d events, %d messages, %d ops%n",
            s,
            r.passed() ? "passed" : r.outcome(),
            r.traceHash(),
            r.events(),
            r.messages(),
            r.history().ops().size());
      }
      if (r.passed()) {
        if (writeAlways) {
          write(w, r, config);
        }
        continue;
      }
      failed++;
      error |= r.outcome() == SimResult.Outcome.ERROR;
      if (first < 0) {
        first = s;
      }
      report(w, r, config);
      if (!keepGoing) {
        break;
      }
    }
    long ran = first < 0 || keepGoing ? to - from + 1 : first - from + 1;
    w.printf(
        "%d seed(s) run, %d failed%s; %.1f simulated s, %d messages, %.0f messages/s%n",
        ran,
        failed,
        first >= 0 ? " (first: seed " + first + ")" : "",
        simulated / 1e9,
        messages,
        wall == 0 ? 0.0 : messages / (wall / 1e9));
    w.flush();
    if (error) {
      return ExitCode.ERROR;
    }
    return failed > 0 ? ExitCode.INVALID : ExitCode.VALID;
  }

  private void report(PrintWriter w, SimResult r, SimConfig config) throws IOException {
    w.println();
    w.println("seed " + r.seed() + " FAILED (" + r.outcome() + "): " + r.problem());
    w.println("  mix: " + r.config() + "; raft: " + r.setup());
    w.printf(
        "  trace hash %016x; replay with: faultline sim --seed %d%s%n",
        r.traceHash(),
        r.seed(),
        (bug == null ? "" : " --bug " + bug.cliName())
            + (workload.equals(SimConfig.defaults().workload()) ? "" : " --workload " + workload));
    w.println("  last events:");
    for (String line :
        r.lastEvents().subList(Math.max(0, r.lastEvents().size() - 20), r.lastEvents().size())) {
      w.println("    " + line);
    }
    write(w, r, config);
  }

  /** Replays the seed recording every event, then writes trace, history and summary. */
  private void write(PrintWriter w, SimResult r, SimConfig config) throws IOException {
    SimResult full = Simulation.run(r.seed(), config, true);
    Path dir = out.resolve("seed-" + r.seed());
    Files.createDirectories(dir);
    Files.write(dir.resolve("trace.txt"), full.trace());
    HistoryFiles.write(full.history(), dir.resolve("history.jsonl"), HistoryFormat.JSONL);
    Files.writeString(
        dir.resolve("summary.txt"),
        String.format(
            "seed %d%noutcome %s%nproblem %s%nmix %s%nraft %s%ntrace hash %016x%nevents %d%nmessages %d%n",
            full.seed(),
            full.outcome(),
            full.problem(),
            full.config(),
            full.setup(),
            full.traceHash(),
            full.events(),
            full.messages()));
    if (full.traceHash() != r.traceHash()) {
      w.println("  warning: the replay's trace hash differs; the run is not deterministic");
    }
    w.println("  wrote " + dir.resolve("trace.txt") + " and " + dir.resolve("history.jsonl"));
  }

  private int bench(PrintWriter w, SimConfig config) {
    long deadline = System.nanoTime() + benchSeconds * 1_000_000_000L;
    long messages = 0;
    long events = 0;
    long wall = 0;
    long simulated = 0;
    int seedsRun = 0;
    // warm-up seeds are not counted
    for (long s = 1_000_000; s < 1_000_003; s++) {
      Simulation.runUnchecked(s, config);
    }
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = cpu.getCurrentThreadCpuTime();
    for (long s = 1; System.nanoTime() < deadline; s++) {
      SimResult r = Simulation.runUnchecked(s, config);
      messages += r.messages();
      events += r.events();
      wall += r.wallNanos();
      simulated += r.simulatedNanos();
      seedsRun++;
    }
    long cpuNanos = cpu.getCurrentThreadCpuTime() - cpuStart;
    w.printf(
        "sim bench: %d seeds, %d messages, %d events in %.2f s of one thread's CPU time"
            + " (%.2f s wall): %.0f messages/s, %.0f events/s, %.0fx real time (Java %s, %d cores)%n",
        seedsRun,
        messages,
        events,
        cpuNanos / 1e9,
        wall / 1e9,
        messages / (cpuNanos / 1e9),
        events / (cpuNanos / 1e9),
        simulated / (double) cpuNanos,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    w.flush();
    return ExitCode.VALID;
  }

  /** Parses bug names for picocli. */
  static final class BugConverter implements CommandLine.ITypeConverter<SimBug> {
    @Override
    public SimBug convert(String value) {
      try {
        return SimBug.fromName(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** The bug names, for help. */
  static final class BugNames extends java.util.ArrayList<String> {
    private static final long serialVersionUID = 1L;

    BugNames() {
      for (SimBug b : SimBug.values()) {
        add(b.cliName());
      }
    }
  }
}
