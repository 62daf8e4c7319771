package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import dev.faultline.histories.OpType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesTest {
  private static final long MS = 1_000_000;

  @Test
  void samplesHaveInvocationTimeAndLatencyAndLeavePendingCallsOut() {
    History h =
        new Ops()
            .call(0, 5, 0, OpType.OK, "read")
            .call(2, 12, 1, OpType.FAIL, "write")
            .invoke(3, 2, "read", null)
            .call(6, 30, 0, OpType.INFO, "write")
            .build();
    assertThat(Series.samples(h))
        .containsExactly(
            new Series.Sample(0, 5 * MS, Call.Outcome.OK, "read"),
            new Series.Sample(2 * MS, 10 * MS, Call.Outcome.FAIL, "write"),
            new Series.Sample(6 * MS, 24 * MS, Call.Outcome.INFO, "write"));
  }

  @Test
  void quantilesPerWindowAreNearestRankOfTheCallsInvokedInIt() {
    Ops ops = new Ops();
    // Window [0, 100 ms): latencies 1..20 ms by 20 processes; window [100, 200): one of 50 ms.
    for (int p = 0; p < 20; p++) {
      ops.invoke(p, p, "read", null);
    }
    for (int p = 0; p < 20; p++) {
      ops.complete(2L * p + 1 - p + p, p, OpType.OK, "read", null);
    }
    ops.call(150, 200, 0, OpType.OK, "read");
    History h = ops.build();
    List<Series.Quantiles> q = Series.quantiles(h, 100 * MS);
    assertThat(q).hasSize(3);
    // Process p invoked at p ms and completed at 2p+1 ms: latency p+1 ms, so 1..20 ms.
    assertThat(q.get(0)).isEqualTo(new Series.Quantiles(0, 20, 10 * MS, 19 * MS, 20 * MS, 20 * MS));
    assertThat(q.get(1))
        .isEqualTo(new Series.Quantiles(100 * MS, 1, 50 * MS, 50 * MS, 50 * MS, 50 * MS));
    assertThat(q.get(2)).isEqualTo(new Series.Quantiles(200 * MS, 0, 0, 0, 0, 0));
  }

  @Test
  void throughputCountsCompletionsByOutcomeInTheWindowTheyCompleteIn() {
    History h =
        new Ops()
            .call(0, 5, 0, OpType.OK, "read")
            .call(1, 9, 1, OpType.OK, "read")
            .call(2, 15, 2, OpType.FAIL, "write")
            .call(6, 25, 0, OpType.INFO, "write")
            .invoke(26, 1, "read", null)
            .build();
    assertThat(Series.throughput(h, 10 * MS))
        .containsExactly(
            new Series.Throughput(0, 2, 0, 0),
            new Series.Throughput(10 * MS, 0, 1, 0),
            new Series.Throughput(20 * MS, 0, 0, 1));
  }

  @Test
  void nearestRankPicksAnActualValue() {
    long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(Series.rank(sorted, 0.5)).isEqualTo(5);
    assertThat(Series.rank(sorted, 0.95)).isEqualTo(10);
    assertThat(Series.rank(sorted, 0.01)).isEqualTo(1);
    assertThat(Series.rank(new long[] {7}, 0.99)).isEqualTo(7);
  }

  @Test
  void windowWidthIsARoundNumberGivingAboutAHundredWindows() {
    assertThat(Series.windowFor(60_000 * MS)).isEqualTo(1_000 * MS);
    assertThat(Series.windowFor(10_000 * MS)).isEqualTo(100 * MS);
    assertThat(Series.windowFor(30_000 * MS)).isEqualTo(500 * MS);
    assertThat(Series.windowFor(0)).isEqualTo(MS);
  }

  @Test
  void aWindowWidthMustBePositive() {
    History h = new Ops().call(0, 5, 0, OpType.OK, "read").build();
    assertThatThrownBy(() -> Series.quantiles(h, 0))
        .hasMessageContaining("window width must be positive");
  }

  @Test
  void seriesOfASyntheticRunAccountForEveryCompletedCall() {
    History h = SyntheticRun.history(7, 10, Duration.ofSeconds(6), 5, false);
    long width = Series.windowFor(Series.span(h));
    int completed = Series.samples(h).size();
    assertThat(Series.quantiles(h, width).stream().mapToInt(Series.Quantiles::count).sum())
        .isEqualTo(completed);
    assertThat(Series.throughput(h, width).stream().mapToInt(Series.Throughput::total).sum())
        .isEqualTo(completed);
  }
}
