package dev.faultline.testbed.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulationTest {
  private static final SimConfig DEFAULTS = SimConfig.defaults();

  @Test
  void sameSeedGivesSameTraceHash() {
    SimResult a = Simulation.run(42, DEFAULTS, false);
    SimResult b = Simulation.run(42, DEFAULTS, false);
    assertThat(a.traceHash()).isEqualTo(b.traceHash());
    assertThat(a.events()).isEqualTo(b.events());
    assertThat(a.history().ops()).isEqualTo(b.history().ops());
    assertThat(Simulation.run(43, DEFAULTS, false).traceHash()).isNotEqualTo(a.traceHash());
  }

  @Test
  void recordedTraceReplaysTheSameRun() {
    SimResult quiet = Simulation.run(7, DEFAULTS, false);
    SimResult recorded = Simulation.run(7, DEFAULTS, true);
    assertThat(recorded.traceHash()).isEqualTo(quiet.traceHash());
    assertThat(recorded.trace()).hasSize((int) recorded.events());
  }

  @Test
  void fiveHundredSeedsAreSafeLiveAndLinearizable() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<SimResult>> runs =
          LongStream.rangeClosed(1, 500)
              .mapToObj(seed -> pool.submit(() -> Simulation.run(seed, DEFAULTS, false)))
              .toList();
      long ops = 0;
      for (Future<SimResult> f : runs) {
        SimResult r = f.get(120, TimeUnit.SECONDS);
        assertThat(r.passed()).as("seed %d: %s %s", r.seed(), r.outcome(), r.problem()).isTrue();
        ops += r.history().ops().size();
      }
      assertThat(ops).as("the clients did real work").isGreaterThan(500L * 500);
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0} is caught within 1000 seeds as a {1} violation")
  @CsvSource({
    "vote-not-persisted, SAFETY, registers",
    "commit-previous-term, SAFETY, registers",
    "read-without-quorum-check, LINEARIZABILITY, registers",
    "truncate-committed, SAFETY, registers",
    "lost-rebuild-writes, LINEARIZABILITY, churn"
  })
  void deliberateBugIsCaughtWithinItsSeedBudget(
      String bug, SimResult.Outcome expected, String workload) {
    SimConfig config = DEFAULTS.withBug(SimBug.fromName(bug)).withWorkload(workload);
    SimResult caught = null;
    for (long seed = 1; seed <= 1000 && caught == null; seed++) {
      SimResult r = Simulation.run(seed, config, false);
      if (!r.passed()) {
        caught = r;
      }
    }
    assertThat(caught).as("%s not caught in 1000 seeds", bug).isNotNull();
    assertThat(caught.outcome()).as(caught.problem()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "the {0} workload passes 20 seeds")
  @CsvSource({"kv", "register", "churn"})
  void workloadsGeneratorsRunSafely(String workload) {
    SimConfig config = DEFAULTS.withWorkload(workload);
    for (long seed = 1; seed <= 20; seed++) {
      SimResult r = Simulation.run(seed, config, false);
      assertThat(r.passed()).as("seed %d: %s %s", seed, r.outcome(), r.problem()).isTrue();
      assertThat(r.history().ops()).as("seed %d did work", seed).hasSizeGreaterThan(500);
    }
  }

  @Test
  void churnRebuildsShardsDuringTheRun() {
    SimResult r = Simulation.run(3, DEFAULTS.withWorkload("churn"), true);
    assertThat(r.trace()).anyMatch(line -> line.contains("rebuild-step"));
    assertThat(r.history().ops()).anyMatch(op -> op.f().equals("delete"));
  }

  @Test
  void simulatorRefusesTheNodesHttpLayerBugsWithAReason() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SimBug.fromName("stale-read"))
        .hasMessageContaining("faultline test --bug stale-read");
  }

  @Test
  void healedClusterWithoutFaultsCommitsEverything() {
    SimConfig calm =
        DEFAULTS
            .withNetwork(0, 0, 0)
            .withFaultWeights(0, 0, 0, 0)
            .withFlap(0)
            .withRandomizeFaults(false);
    SimResult r = Simulation.run(5, calm, false);
    assertThat(r.passed()).as(String.valueOf(r.problem())).isTrue();
    long oks = r.history().ops().stream().filter(op -> op.type().wireName().equals("ok")).count();
    assertThat(oks).isGreaterThan(1000);
  }
}
