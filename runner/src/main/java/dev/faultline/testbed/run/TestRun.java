package dev.faultline.testbed.run;

import dev.faultline.checker.CheckOptions;
import dev.faultline.checker.CheckResult;
import dev.faultline.checker.Checker;
import dev.faultline.checker.model.Models;
import dev.faultline.checker.report.CheckReportPage;
import dev.faultline.histories.History;
import dev.faultline.histories.HistoryRecorder;
import dev.faultline.histories.OpType;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import dev.faultline.nemesis.Nemesis;
import dev.faultline.nemesis.cluster.Cluster;
import dev.faultline.nemesis.cluster.NodeState;
import dev.faultline.testbed.plan.FaultPlanner;
import dev.faultline.testbed.plan.FaultSchedule;
import dev.faultline.testbed.plan.PlannedWindow;
import dev.faultline.testbed.report.Availability;
import dev.faultline.testbed.report.RunDirectory;
import dev.faultline.workloads.Workload;
import dev.faultline.workloads.WorkloadAnalysis;
import dev.faultline.workloads.WorkloadOptions;
import dev.faultline.workloads.run.OpRecorder;
import dev.faultline.workloads.run.PoolOptions;
import dev.faultline.workloads.run.WorkerPool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * One test run, start to finish: makes the run directory and test.json, starts the cluster and
 * waits for a leader, drives the workload while a {@link FaultDriver} walks the seeded fault
 * schedule, heals everything ({@link Nemesis#healAll} in a {@code finally}), waits for recovery,
 * does the final reads, tears the cluster down (always), collects the nodes' logs, checks the
 * history and writes results.json. Never throws: a run that cannot be carried out ends {@link
 * RunVerdict#FAILED} with a one-line reason.
 */
public final class TestRun {
  /**
   * How a run ended, where its files are, one line that says so, and the warnings that qualify the
   * verdict ({@link VerdictBasis#warnings}), one line each.
   */
  public record Outcome(
      RunVerdict verdict, Optional<RunDirectory> run, String summary, List<String> warnings) {
    public Outcome {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Bounds that are not command-line options.
   *
   * @param stragglerGrace how long the start waits for the last nodes once a leader and a majority
   *     are ready
   */
  public record Timing(
      Duration startupWait,
      Duration requestTimeout,
      Duration diskReadyWait,
      Duration stragglerGrace) {
    public static Timing defaults() {
      // Generous: on a loaded machine a node JVM alone can take 40 s to start; a node that exits
      // while starting fails the run at once, so only a slow cluster waits this long.
      return new Timing(
          Duration.ofSeconds(180),
          Duration.ofSeconds(1),
          Duration.ofSeconds(20),
          Duration.ofSeconds(30));
    }
  }

  /**
   * How often the cluster is asked for a leader while it starts or recovers: a leader found a poll
   * late costs the run that long, and a poll is two cheap local requests.
   */
  static final Duration LEADER_POLL = Duration.ofMillis(50);

  private final TestOptions options;
  private final Deployment.Factory deployments;
  private final List<String> commandLine;
  private final String commit;
  private final PrintStream err;
  private final boolean terminal;
  private final Timing timing;
  private volatile String interruptedBy;
  private volatile WorkerPool workers;

  public TestRun(
      TestOptions options,
      Deployment.Factory deployments,
      List<String> commandLine,
      String commit,
      PrintStream err,
      boolean terminal,
      Timing timing) {
    this.options = options;
    this.deployments = deployments;
    this.commandLine = List.copyOf(commandLine);
    this.commit = commit;
    this.err = err;
    this.terminal = terminal;
    this.timing = timing;
  }

  /**
   * Cuts the run short from another thread (a signal's shutdown hook): the workload's main phase
   * ends now, and the run goes on as at its time limit (heal, final reads, tear down, collect the
   * logs, check what was recorded, write results.json and report.html), marked interrupted.
   *
   * @param by what stopped it, e.g. {@code SIGINT}
   */
  public void interrupt(String by) {
    interruptedBy = by;
    WorkerPool w = workers;
    if (w != null) {
      w.stop();
    }
  }

  public Outcome run() {
    Instant started = Instant.now();
    RunPhases phases = new RunPhases();
    RunDirectory run;
    try {
      run = RunDirectory.create(options.store(), options.runName(), started);
      ResultsWriter.write(
          run.testJson(), ResultsWriter.testJson(options, commandLine, commit, started));
      // Empty until the workload starts: the history's clock begins with the workload, not with
      // the nodes' launch, so that time 0 is the first op in the history and on the charts.
      Files.write(run.historyJsonl(), new byte[0]);
    } catch (IOException | RuntimeException e) {
      return new Outcome(
          RunVerdict.FAILED,
          Optional.empty(),
          "FAILED: cannot create the run directory under " + options.store() + ": " + text(e),
          List.of());
    }
    var state = new RunState(phases);
    try {
      execute(run, state);
    } catch (Exception e) {
      state.fail(e);
    } finally {
      if (state.recorder != null) {
        try {
          state.recorder.close();
        } catch (IOException e) {
          state.fail(e);
        }
      }
    }
    History history = state.recorder == null ? History.of(List.of()) : state.recorder.history();
    Outcome outcome = finish(run, history, started, state);
    phases.end();
    err.println("faultline test: " + phases.summary());
    return outcome;
  }

  /** What the run gathered on its way; filled in as far as it got. */
  private static final class RunState {
    final RunPhases phases;
    HistoryRecorder recorder;
    Optional<String> error = Optional.empty();
    String network = "not started";
    List<FaultDriver.Entry> faults = List.of();
    List<String> nemesisProblems = List.of();
    final List<String> healProblems = new ArrayList<>();
    List<String> unreadKeys = List.of();
    List<String> nodesDown = List.of();
    List<String> lateNodes = List.of();

    RunState(RunPhases phases) {
      this.phases = phases;
    }

    void fail(Throwable e) {
      if (error.isEmpty()) {
        error = Optional.of(text(e));
      }
    }
  }

  private void execute(RunDirectory run, RunState state) throws Exception {
    RunPhases phases = state.phases;
    phases.begin("start");
    Deployment deployment = deployments.open(options, run);
    try {
      state.network = deployment.network();
      Cluster cluster = deployment.cluster();
      phases.event("nodes launched");
      cluster.start();
      if (!awaitStart(deployment, timing.startupWait(), state)) {
        throw new IllegalStateException(
            "no leader within "
                + timing.startupWait().toSeconds()
                + " s of starting "
                + options.nodes()
                + " nodes; see "
                + run.nodes()
                + "/<node>/ for their logs");
      }
      phases.event("leader ready");
      HistoryRecorder recorder = HistoryRecorder.open(run.historyJsonl());
      state.recorder = recorder;
      RunSeeds seeds = RunSeeds.of(options.seed());
      Nemesis nemesis =
          new Nemesis(
              cluster,
              deployment.net(),
              deployment.leaderProbe(),
              seeds.nemesis(),
              timing.diskReadyWait());
      FaultPlanner planner = new FaultPlanner(cluster.nodeIds(), seeds.planner());
      List<PlannedWindow> windows =
          FaultSchedule.plan(
              seeds.schedule(), options.timeLimit(), options.interval(), options.nemesis().kinds());
      FaultDriver driver =
          new FaultDriver(
              nemesis,
              deployment.links(),
              planner,
              windows,
              (f, value) -> recorder.nemesis(OpType.INFO, f, value),
              recorder::nanosSinceStart);
      PoolOptions pool =
          PoolOptions.defaults()
              .withConcurrency(options.concurrency())
              .withTimeLimit(options.timeLimit())
              .withRate(options.rate());
      WorkerPool workers =
          new WorkerPool(
              Workload.named(options.workload())
                  .generator(
                      seeds.generator(),
                      WorkloadOptions.defaults().withLiveKeys(liveKeys(options.concurrency()))),
              deployment.clients(timing.requestTimeout(), options.concurrency()),
              OpRecorder.of(recorder),
              pool);
      this.workers = workers;
      if (interruptedBy != null) {
        workers.stop();
      }
      try (ProgressLine progress =
          new ProgressLine(
              err,
              terminal,
              options.timeLimit(),
              () -> new ProgressLine.Snapshot(workers.progress(), driver.active()))) {
        progress.start();
        // Time 0: the recorder's clock, the fault schedule's and the pool's start together.
        phases.begin("workload");
        phases.markOrigin(Instant.now().minusNanos(recorder.nanosSinceStart()));
        driver.start();
        WorkerPool.Result result =
            workers.run(
                () -> {
                  phases.begin("heal");
                  driver.finish();
                  state.healProblems.addAll(nemesis.healAll());
                  deployment.links().ifPresent(l -> state.healProblems.addAll(l.healAll()));
                  if (!awaitLeader(deployment, options.recoveryWait())) {
                    err.println(
                        "faultline test: no leader "
                            + options.recoveryWait().toSeconds()
                            + " s after healing; doing the final reads anyway");
                  }
                  phases.begin("final reads");
                });
        state.unreadKeys = result.unreadKeys();
        state.nodesDown = notServing(deployment);
      } finally {
        driver.finish();
        // Always, also after an error: no node stays down, paused, cut off or skewed.
        state.healProblems.addAll(nemesis.healAll());
        deployment.links().ifPresent(l -> state.healProblems.addAll(l.healAll()));
        state.faults = driver.entries();
        state.nemesisProblems = driver.problems();
      }
    } finally {
      tearDown(deployment, run, state);
    }
  }

  private void tearDown(Deployment deployment, RunDirectory run, RunState state) {
    state.phases.begin("teardown");
    try {
      Cluster cluster = deployment.cluster();
      // All at once: each node's grace runs at the same time as the others'.
      var graces = new LinkedHashMap<String, Duration>();
      for (String id : cluster.nodeIds()) {
        graces.put(id, deployment.stopGrace(id));
      }
      state.healProblems.addAll(cluster.stopAll(graces));
      cluster.collectLogs(run.nodes());
      deployment.keep(run.nodes());
    } catch (IOException | RuntimeException e) {
      state.fail(e);
    } finally {
      deployment.close();
    }
  }

  /** The nodes that are not ready now, each with what its process is doing. */
  private static List<String> notServing(Deployment deployment) {
    Cluster cluster = deployment.cluster();
    var down = new ArrayList<String>();
    for (String id : cluster.nodeIds()) {
      if (deployment.ready(id)) {
        continue;
      }
      NodeState s = cluster.state(id);
      String how =
          switch (s.phase()) {
            case EXITED -> "exited with code " + s.exitCode().orElse(-1);
            case RUNNING -> "running, not ready";
            default -> s.phase().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
          };
      down.add(id + " (" + how + ")");
    }
    return down;
  }

  /**
   * Polls until the cluster names a leader and every node is ready, or {@code bound}. A workload
   * that began with a node still starting would test a fault nobody asked for (a node joining late,
   * as after a crash), so the run waits for all of them; a straggler that is not ready {@link
   * Timing#stragglerGrace} after a leader and a majority are, is left behind and named in the
   * verdict's basis.
   *
   * @return false when no leader with a ready majority came within {@code bound}
   */
  private boolean awaitStart(Deployment deployment, Duration bound, RunState state) {
    Cluster cluster = deployment.cluster();
    long deadline = System.nanoTime() + bound.toNanos();
    long majoritySince = 0;
    while (true) {
      if (interruptedBy != null) {
        throw new IllegalStateException(
            "interrupted (" + interruptedBy + ") while waiting for a leader");
      }
      failOnEarlyExit(cluster);
      boolean majority = false;
      if (cluster.leader(deployment.leaderProbe()).isPresent()) {
        long ready = cluster.nodeIds().stream().filter(deployment::ready).count();
        if (ready == cluster.nodeIds().size()) {
          return true;
        }
        majority = ready > cluster.nodeIds().size() / 2;
      }
      long now = System.nanoTime();
      majoritySince = majority ? (majoritySince == 0 ? now : majoritySince) : 0;
      if (majority
          && (now - majoritySince > timing.stragglerGrace().toNanos() || now >= deadline)) {
        state.lateNodes = notServing(deployment);
        return true;
      }
      if (now >= deadline) {
        return false;
      }
      LockSupport.parkNanos(LEADER_POLL.toNanos());
    }
  }

  /** A node that exits on its own while starting will not come up by waiting. */
  private static void failOnEarlyExit(Cluster cluster) {
    for (String id : cluster.nodeIds()) {
      NodeState s = cluster.state(id);
      if (s.phase() == NodeState.Phase.EXITED) {
        throw new IllegalStateException(
            "node "
                + id
                + " exited with code "
                + s.exitCode().orElse(-1)
                + " while starting; see its output in the run's nodes/"
                + id
                + "/");
      }
    }
  }

  /** Polls until the cluster names a leader and a majority of nodes are ready, or {@code bound}. */
  private boolean awaitLeader(Deployment deployment, Duration bound) {
    Cluster cluster = deployment.cluster();
    long deadline = System.nanoTime() + bound.toNanos();
    do {
      if (cluster.leader(deployment.leaderProbe()).isPresent()) {
        long ready = cluster.nodeIds().stream().filter(deployment::ready).count();
        if (ready > cluster.nodeIds().size() / 2) {
          return true;
        }
      }
      LockSupport.parkNanos(LEADER_POLL.toNanos());
    } while (System.nanoTime() < deadline);
    return false;
  }

  private Outcome finish(RunDirectory run, History history, Instant started, RunState state) {
    state.phases.begin("check");
    Workload workload = Workload.named(options.workload());
    Optional<CheckResult> check = Optional.empty();
    Optional<WorkloadAnalysis> analysis = Optional.empty();
    RunVerdict verdict = state.error.isPresent() ? RunVerdict.FAILED : RunVerdict.VALID;
    try {
      HistoryFiles.write(history, run.historyEdn(), HistoryFormat.EDN);
      ResultsWriter.shareable(run.historyEdn());
      if (!history.calls().isEmpty()) {
        if (workload.checkerModel().isPresent()) {
          CheckResult r =
              Checker.check(
                  history,
                  CheckOptions.defaults().withModel(Models.named(workload.checkerModel().get())));
          check = Optional.of(r);
          verdict = verdict.and(RunVerdict.of(r.verdict()));
          CheckReportPage.write(history, r, run.checkHtml());
          ResultsWriter.shareable(run.checkHtml());
        }
        analysis = workload.analyze(history);
        if (analysis.isPresent() && !analysis.get().valid()) {
          verdict = verdict.and(RunVerdict.INVALID);
        }
      } else if (state.error.isEmpty()) {
        state.error = Optional.of("the history has no client operations");
        verdict = RunVerdict.FAILED;
      }
    } catch (IOException | RuntimeException e) {
      state.fail(e);
      verdict = verdict.and(RunVerdict.FAILED);
    }
    state.phases.begin("results");
    Instant finished = Instant.now();
    Availability availability = Availability.of(history);
    VerdictBasis basis =
        VerdictBasis.of(
            state.nodesDown,
            state.unreadKeys,
            availability,
            Optional.ofNullable(interruptedBy),
            state.lateNodes);
    var facts =
        new ResultsWriter.Facts(
            options,
            verdict,
            state.error,
            started,
            finished,
            state.network,
            history,
            state.faults,
            state.nemesisProblems,
            state.healProblems,
            state.unreadKeys,
            check,
            analysis,
            availability,
            basis,
            state.phases.toMap());
    try {
      ResultsWriter.write(run.resultsJson(), ResultsWriter.results(facts, run.nodes()));
      if (check.isPresent()) {
        // Jepsen's shape, for Jepsen-side tools.
        dev.faultline.checker.ResultsEdn.write(check.get(), run.dir().resolve("results.edn"));
      }
    } catch (IOException | RuntimeException e) {
      verdict = verdict.and(RunVerdict.FAILED);
      state.fail(e);
    }
    state.phases.begin("report");
    try {
      // The readable report (report.html, junit.xml) is read back from the files just written.
      dev.faultline.testbed.report.ReportWriter.write(run.dir());
    } catch (IOException | RuntimeException e) {
      err.println("faultline test: could not write report.html: " + text(e));
    }
    return new Outcome(
        verdict,
        Optional.of(run),
        summary(verdict, run, availability, state, analysis),
        basis.warnings());
  }

  private String summary(
      RunVerdict verdict,
      RunDirectory run,
      Availability a,
      RunState state,
      Optional<WorkloadAnalysis> analysis) {
    var line = new StringBuilder();
    line.append(verdict.name())
        .append(interruptedBy == null ? "" : " (interrupted)")
        .append("  seed ")
        .append(options.seed());
    options.bug().ifPresent(b -> line.append("  bug ").append(b));
    line.append("  ")
        .append(a.overall().ops())
        .append(" ops (ok ")
        .append(a.overall().ok())
        .append(", fail ")
        .append(a.overall().fail())
        .append(", info ")
        .append(a.overall().info())
        .append(")  faults ")
        .append(state.faults.size());
    analysis.ifPresent(x -> line.append("  ").append(x.summary()));
    state.error.ifPresent(e -> line.append("  error: ").append(e));
    line.append("  ").append(run.dir());
    return line.toString();
  }

  /**
   * How many kv keys receive ops at a time for {@code concurrency} clients: at most {@value
   * #CLIENTS_PER_KEY} clients per key, and never fewer than the workload's default five. Every
   * client still races others on its key, and each key's history stays of the shape the checker
   * decides in milliseconds (Porcupine's 50 clients on 10 keys), so more clients make a denser
   * history rather than one the checker cannot finish.
   */
  static int liveKeys(int concurrency) {
    int keys = (concurrency + CLIENTS_PER_KEY - 1) / CLIENTS_PER_KEY;
    return Math.max(WorkloadOptions.defaults().liveKeys(), keys);
  }

  static final int CLIENTS_PER_KEY = 5;

  static String text(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
