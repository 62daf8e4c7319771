package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.testbed.report.RunDirectory;
import dev.faultline.workloads.client.Client;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs against a fake cluster and an in-memory store: no processes, no network. */
class TestRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path store;

  private final List<FakeDeployment> deployments = new ArrayList<>();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private TestOptions options(String workload, String nemesis, long seed) {
    return new TestOptions(
        3,
        workload,
        NemesisChoice.parse(nemesis, false),
        Duration.ofMillis(1500),
        3,
        400,
        "http",
        seed,
        Optional.empty(),
        1,
        store,
        Duration.ofSeconds(1),
        Duration.ofMillis(200));
  }

  private TestRun.Outcome run(TestOptions options, boolean staleReads) {
    return run(options, staleReads, d -> {});
  }

  private TestRun.Outcome run(
      TestOptions options, boolean staleReads, java.util.function.Consumer<FakeDeployment> setup) {
    Deployment.Factory factory =
        (o, dir) -> {
          var d = new FakeDeployment(new FakeCluster(o.nodeIds(), dir.work()), staleReads);
          setup.accept(d);
          deployments.add(d);
          return d;
        };
    return new TestRun(
            options,
            factory,
            List.of("test", "--seed", Long.toString(options.seed())),
            "abc1234",
            new PrintStream(err, true),
            false,
            new TestRun.Timing(
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Duration.ofSeconds(2)))
        .run();
  }

  private static JsonNode json(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  @Test
  void aRunAgainstACorrectStoreIsValidAndLeavesACompleteRunDirectory() throws IOException {
    TestRun.Outcome outcome = run(options("kv", "partition,kill,pause", 42), false);

    assertThat(outcome.verdict()).isEqualTo(RunVerdict.VALID);
    RunDirectory run = outcome.run().orElseThrow();
    assertThat(run.dir().getParent()).isEqualTo(store.resolve("kv-partition+kill+pause"));
    assertThat(store.resolve("latest").toRealPath()).isEqualTo(run.dir().toRealPath());
    for (String file :
        List.of("test.json", "history.jsonl", "history.edn", "results.json", "check.html")) {
      assertThat(run.dir().resolve(file)).isNotEmptyFile();
    }
    assertThat(run.nodes().resolve("n1/node.log")).exists();

    JsonNode test = json(run.testJson());
    assertThat(test.path("seed").asLong()).isEqualTo(42);
    assertThat(test.path("commit").asText()).isEqualTo("abc1234");
    assertThat(test.path("command_line").toString()).isEqualTo("[\"test\",\"--seed\",\"42\"]");
    JsonNode o = test.path("options");
    assertThat(o.path("nodes").asInt()).isEqualTo(3);
    assertThat(o.path("workload").asText()).isEqualTo("kv");
    assertThat(o.path("nemesis").asText()).isEqualTo("partition,kill,pause");
    assertThat(o.path("time_limit_s").asDouble()).isEqualTo(1.5);
    assertThat(o.path("concurrency").asInt()).isEqualTo(3);
    assertThat(o.path("protocol").asText()).isEqualTo("http");
    assertThat(o.path("bug").isNull()).isTrue();
    assertThat(o.path("interval_s").asDouble()).isEqualTo(0.2);

    JsonNode results = json(run.resultsJson());
    assertThat(results.path("schema").asText())
        .isEqualTo(dev.faultline.testbed.report.RunResults.SCHEMA);
    assertThat(results.path("verdict").asText()).isEqualTo("valid");
    assertThat(results.path("exit_code").asInt()).isZero();
    assertThat(results.path("check").path("verdict").asText()).isEqualTo("valid");
    assertThat(results.path("ops").path("by_f").has("read")).isTrue();
    assertThat(results.path("availability").path("outside_faults").path("ops").asLong())
        .isPositive();
    assertThat(results.path("faults").size()).isPositive();
    assertThat(results.path("availability").path("windows").size())
        .isEqualTo(results.path("faults").size());

    History written = HistoryFiles.read(run.historyJsonl());
    assertEveryNemesisStartHasAStop(written);
    assertThat(HistoryFiles.read(run.historyEdn()).size()).isEqualTo(written.size());
    FakeDeployment d = deployments.get(0);
    assertThat(d.cluster.closed).isTrue();
    assertThat(d.net.current().isEmpty()).isTrue();
  }

  static void assertEveryNemesisStartHasAStop(History history) {
    List<Op> events = history.nemesisEvents();
    assertThat(events).isNotEmpty();
    for (int i = 0; i < events.size(); i += 2) {
      String start = events.get(i).f();
      assertThat(start).startsWith("start-");
      assertThat(events.get(i + 1).f()).isEqualTo("stop-" + start.substring(6));
      @SuppressWarnings("unchecked")
      var value = (java.util.Map<String, Object>) events.get(i).value();
      assertThat(value).containsKey("targets");
    }
  }

  @Test
  void staleReadsAreFoundInvalid() {
    TestRun.Outcome outcome = run(options("register", "none", 3), true);
    assertThat(outcome.verdict()).isEqualTo(RunVerdict.INVALID);
    assertThat(outcome.summary()).startsWith("INVALID  seed 3");
  }

  @Test
  void resultsJsonAndReportHtmlShowTheSameAvailability() throws IOException {
    TestRun.Outcome outcome = run(options("register", "partition,kill", 21), false);
    RunDirectory run = outcome.run().orElseThrow();
    JsonNode a = json(run.resultsJson()).path("availability");
    String html = java.nio.file.Files.readString(run.dir().resolve("report.html"));

    var rows = new ArrayList<String>();
    var m =
        java.util.regex.Pattern.compile("data-row=\"(\\w+)\" data-availability=\"([^\"]*)\"")
            .matcher(html);
    while (m.find()) {
      rows.add(m.group(1) + " " + m.group(2));
    }
    var expected = new ArrayList<String>();
    expected.add("overall " + a.path("overall").path("availability").asText());
    a.path("windows").forEach(w -> expected.add("window " + w.path("availability").asText("")));
    expected.add("outside " + a.path("outside_faults").path("availability").asText());
    assertThat(a.path("windows").size()).isPositive();
    // Compare-and-set mismatches happen in this workload, and count as answered in both files.
    assertThat(a.path("overall").path("cas_mismatch").asLong()).isPositive();
    assertThat(a.path("overall").path("answered").asLong())
        .isEqualTo(
            a.path("overall").path("ok").asLong()
                + a.path("overall").path("cas_mismatch").asLong());
    assertThat(rows).isEqualTo(expected.stream().map(r -> r.replace("null", "")).toList());
  }

  @Test
  void aNodeThatNeverCameBackIsAWarningNextToTheVerdict() throws IOException {
    TestRun.Outcome outcome =
        run(options("register", "kill", 12), false, d -> d.neverReady = java.util.Set.of("n2"));
    RunDirectory run = outcome.run().orElseThrow();
    JsonNode results = json(run.resultsJson());

    assertThat(results.path("basis").path("nodes_down").toString())
        .isEqualTo("[\"n2 (running, not ready)\"]");
    // Not ready at the start either: the run waited its grace for n2, then began without it.
    assertThat(results.path("basis").path("late_nodes").toString())
        .isEqualTo("[\"n2 (running, not ready)\"]");
    assertThat(outcome.warnings())
        .anySatisfy(w -> assertThat(w).startsWith("1 node never came back").contains("n2"));
    assertThat(results.path("warnings").toString()).contains("never came back");
    String html = java.nio.file.Files.readString(run.dir().resolve("report.html"));
    assertThat(html).contains("id=\"fl-warnings\"").contains("n2 (running, not ready)");
  }

  @Test
  void theWorkloadWaitsForANodeThatIsReadyOnlyAfterALeaderAndAMajority() throws IOException {
    var polls = new java.util.concurrent.atomic.AtomicInteger();
    TestRun.Outcome outcome =
        run(
            options("register", "none", 14),
            false,
            d -> {
              d.neverReady = java.util.Set.of("n3");
              d.onReadyAsked =
                  () -> {
                    if (polls.incrementAndGet() == 12) {
                      d.neverReady = java.util.Set.of();
                    }
                  };
            });
    JsonNode results = json(outcome.run().orElseThrow().resultsJson());

    assertThat(polls.get()).isGreaterThanOrEqualTo(12);
    assertThat(results.path("basis").path("late_nodes").size()).isZero();
    assertThat(outcome.warnings()).isEmpty();
  }

  @Test
  void aRunWithNothingThinHasNoWarnings() throws IOException {
    TestRun.Outcome outcome = run(options("register", "none", 13), false);
    assertThat(outcome.verdict()).isEqualTo(RunVerdict.VALID);
    assertThat(outcome.warnings()).isEmpty();
    JsonNode results = json(outcome.run().orElseThrow().resultsJson());
    assertThat(results.path("warnings").size()).isZero();
    assertThat(results.path("interrupted").asBoolean()).isFalse();
  }

  @Test
  void anInterruptedRunHealsChecksAndWritesItsResultsMarkedInterrupted() throws Exception {
    TestOptions o = options("register", "pause", 14);
    TestOptions long60 =
        new TestOptions(
            o.nodes(),
            o.workload(),
            o.nemesis(),
            Duration.ofSeconds(60),
            o.concurrency(),
            o.rate(),
            o.protocol(),
            o.seed(),
            o.bug(),
            1,
            store,
            o.recoveryWait(),
            o.interval());
    var testRun =
        new TestRun(
            long60,
            (opts, dir) -> {
              var d = new FakeDeployment(new FakeCluster(opts.nodeIds(), dir.work()), false);
              deployments.add(d);
              return d;
            },
            List.of("test"),
            "abc1234",
            new PrintStream(err, true),
            false,
            new TestRun.Timing(
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Duration.ofSeconds(2)));
    var result = new java.util.concurrent.CompletableFuture<TestRun.Outcome>();
    Thread t = new Thread(() -> result.complete(testRun.run()));
    t.start();
    org.awaitility.Awaitility.await()
        .atMost(30, java.util.concurrent.TimeUnit.SECONDS)
        .until(
            () -> {
              try (var dirs = java.nio.file.Files.walk(store)) {
                return dirs.filter(p -> p.getFileName().toString().equals("history.jsonl"))
                    .anyMatch(p -> p.toFile().length() > 2_000);
              }
            });
    testRun.interrupt("SIGINT");
    TestRun.Outcome outcome = result.get(50, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(outcome.summary()).startsWith("VALID (interrupted)  seed 14");
    assertThat(outcome.warnings()).anySatisfy(w -> assertThat(w).contains("interrupted (SIGINT)"));
    RunDirectory run = outcome.run().orElseThrow();
    JsonNode results = json(run.resultsJson());
    assertThat(results.path("interrupted").asBoolean()).isTrue();
    assertThat(results.path("basis").path("interrupted").asText()).isEqualTo("SIGINT");
    History h = HistoryFiles.read(run.historyJsonl());
    // Stopped well before the time limit, and every fault it started was stopped.
    assertThat(h.get(h.size() - 1).time()).isLessThan(Duration.ofSeconds(60).toNanos());
    assertThat(java.nio.file.Files.readString(run.dir().resolve("report.html")))
        .contains("interrupted (SIGINT)");
    assertThat(run.nodes().resolve("n1/node.log")).exists();
    FakeDeployment d = deployments.get(0);
    assertThat(d.cluster.closed).isTrue();
    assertThat(d.cluster.allRunning() || d.cluster.closed).isTrue();
  }

  @Test
  void theSummaryLineNamesTheBugThatWasOn() {
    TestOptions o = options("register", "none", 3);
    TestOptions withBug =
        new TestOptions(
            o.nodes(),
            o.workload(),
            o.nemesis(),
            o.timeLimit(),
            o.concurrency(),
            o.rate(),
            o.protocol(),
            o.seed(),
            Optional.of("stale-read"),
            1,
            store,
            o.recoveryWait(),
            o.interval());
    assertThat(run(withBug, true).summary()).startsWith("INVALID  seed 3  bug stale-read  ");
    assertThat(run(o, true).summary()).doesNotContain("bug");
  }

  @Test
  void theSetWorkloadIsJudgedByItsAnalysis() throws IOException {
    TestRun.Outcome outcome = run(options("set", "kill", 9), false);
    assertThat(outcome.verdict()).isEqualTo(RunVerdict.VALID);
    JsonNode results = json(outcome.run().orElseThrow().resultsJson());
    assertThat(results.path("workload_analysis").path("valid").asBoolean()).isTrue();
    assertThat(results.path("check").isNull()).isTrue();
  }

  @Test
  void aClusterThatBreaksMidRunIsHealedTornDownAndReportedAsFailed() throws IOException {
    var executed = new AtomicLong();
    var opened = new AtomicLong();
    TestRun.Outcome outcome =
        run(
            options("kv", "kill,pause", 5),
            false,
            d -> {
              d.cluster.killsBeforeFailure.set(1);
              var real = d.clients;
              d.clients =
                  process -> {
                    // Mid-run a client breaks (an info op) and no fresh one can be opened.
                    if (opened.incrementAndGet() > 3) {
                      throw new IllegalStateException("disk full (simulated)");
                    }
                    Client client = real.open(process);
                    return command -> {
                      if (executed.incrementAndGet() == 300) {
                        throw new IllegalStateException("connection reset (simulated)");
                      }
                      return client.execute(command);
                    };
                  };
            });

    assertThat(outcome.verdict()).isEqualTo(RunVerdict.FAILED);
    assertThat(outcome.summary()).contains("disk full (simulated)");
    FakeDeployment d = deployments.get(0);
    assertThat(d.cluster.allRunningWhenTornDown).isTrue();
    assertThat(d.cluster.closed).isTrue();
    RunDirectory run = outcome.run().orElseThrow();
    History history = HistoryFiles.read(run.historyJsonl());
    if (!history.nemesisEvents().isEmpty()) {
      assertEveryNemesisStartHasAStop(history);
    }
    JsonNode results = json(run.resultsJson());
    assertThat(results.path("verdict").asText()).isEqualTo("failed");
    assertThat(results.path("exit_code").asInt()).isEqualTo(3);
  }

  @Test
  void aDeploymentThatCannotStartFailsTheRunWithOneLine() throws IOException {
    Deployment.Factory broken =
        (o, dir) -> {
          throw new IllegalStateException("iptables not found: install the Debian package");
        };
    TestRun.Outcome outcome =
        new TestRun(
                options("kv", "partition", 1),
                broken,
                List.of("test"),
                "abc",
                new PrintStream(err, true),
                false,
                TestRun.Timing.defaults())
            .run();

    assertThat(outcome.verdict()).isEqualTo(RunVerdict.FAILED);
    assertThat(outcome.verdict().exitCode()).isEqualTo(3);
    assertThat(outcome.summary()).contains("error: iptables not found");
    JsonNode results = json(outcome.run().orElseThrow().resultsJson());
    assertThat(results.path("verdict").asText()).isEqualTo("failed");
    assertThat(results.path("error").asText()).startsWith("iptables not found");
  }

  @Test
  void theSameSeedReplaysTheSameFaultSchedule() throws IOException {
    List<String> first = faultsOf(run(options("kv", "partition,kill,pause", 77), false));
    List<String> second = faultsOf(run(options("kv", "partition,kill,pause", 77), false));
    assertThat(first).isNotEmpty().isEqualTo(second);
  }

  @Test
  void timeZeroIsTheWorkloadsStartNotTheNodesLaunch() throws IOException {
    // The cluster names a leader only on the fourth poll, so the start phase spans several polls.
    TestRun.Outcome outcome =
        run(options("kv", "partition", 5), false, d -> d.cluster.electionPolls.set(3));

    RunDirectory run = outcome.run().orElseThrow();
    History h = HistoryFiles.read(run.historyJsonl());
    Op first = h.calls().get(0).invoke();
    JsonNode timeline = json(run.resultsJson()).path("timeline");
    double launched = at(timeline, "nodes launched");
    double leader = at(timeline, "leader ready");
    // Nodes launched and a leader was found before time 0, at least three polls apart.
    assertThat(launched).isLessThan(leader);
    assertThat(leader).isLessThanOrEqualTo(0.0);
    assertThat(leader - launched).isGreaterThanOrEqualTo(3 * TestRun.LEADER_POLL.toMillis() / 1e3);
    // The first op is at or after time 0, and nearer to it than the nodes' launch is: before, time
    // 0 was the run's start, so the first op came after the whole start phase.
    assertThat(first.time()).isNotNegative();
    assertThat(first.time() / 1e9).isLessThan(leader - launched);
    assertThat(h.nemesisEvents().get(0).time()).isGreaterThanOrEqualTo(first.time());
    assertThat(timeline.path("origin").asText()).isNotEmpty();
    assertThat(timeline.path("phases_s").fieldNames())
        .toIterable()
        .containsSubsequence("start", "workload", "heal", "final reads", "teardown", "check");
    assertThat(err.toString()).contains("faultline test: phases: start ");
    String report = java.nio.file.Files.readString(run.dir().resolve("report.html"));
    assertThat(report).contains("Time 0 is the workload's start; before it: nodes launched at -");
  }

  @Test
  void teardownStopsEveryNodeAtOnceEachWithItsOwnGrace() {
    TestRun.Outcome outcome =
        run(
            options("kv", "partition", 5),
            false,
            d -> d.graces = java.util.Map.of("n1", Duration.ofSeconds(60)));

    assertThat(outcome.verdict()).isEqualTo(RunVerdict.VALID);
    List<String> actions = deployments.get(0).cluster.actions();
    assertThat(actions).contains("stop all: n1 60 s, n2 3 s, n3 3 s");
    assertThat(actions).noneMatch(a -> a.startsWith("stop n"));
  }

  @Test
  void moreClientsSpreadOverMoreKeysAtMostFivePerKey() {
    assertThat(TestRun.liveKeys(1)).isEqualTo(5);
    assertThat(TestRun.liveKeys(10)).isEqualTo(5);
    assertThat(TestRun.liveKeys(25)).isEqualTo(5);
    assertThat(TestRun.liveKeys(26)).isEqualTo(6);
    assertThat(TestRun.liveKeys(50)).isEqualTo(10);
    assertThat(TestRun.liveKeys(51)).isEqualTo(11);
  }

  private static double at(JsonNode timeline, String event) {
    for (JsonNode e : timeline.path("events")) {
      if (e.path("event").asText().equals(event)) {
        return e.path("at_s").asDouble();
      }
    }
    throw new AssertionError("no event " + event + " in " + timeline);
  }

  private static List<String> faultsOf(TestRun.Outcome outcome) throws IOException {
    History h = HistoryFiles.read(outcome.run().orElseThrow().historyJsonl());
    return h.nemesisEvents().stream()
        .filter(op -> op.f().startsWith("start-"))
        .map(op -> op.f() + " " + op.value())
        .toList();
  }
}
