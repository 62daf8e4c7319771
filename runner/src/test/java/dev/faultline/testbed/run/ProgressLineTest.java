package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.workloads.run.Progress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  @Test
  void theLineShowsElapsedOfTotalRateOutcomesAndTheFaultInForce() {
    var snapshot =
        new ProgressLine.Snapshot(
            new Progress(12_400_000_000L, 10_030, 9_800, 120, 100),
            Optional.of(FaultKind.PARTITION));

    assertThat(ProgressLine.format(snapshot, Duration.ofSeconds(60)))
        .isEqualTo("[ 12/60 s]  808 ops/s  ok 9800  fail 120  info 100  fault: partition");
  }

  @Test
  void elapsedStopsAtTheTotalDuringTheFinalReads() {
    var snapshot =
        new ProgressLine.Snapshot(new Progress(75_000_000_000L, 10, 10, 0, 0), Optional.empty());

    assertThat(ProgressLine.format(snapshot, Duration.ofSeconds(60)))
        .startsWith("[ 60/60 s]")
        .endsWith("fault: none");
  }
}
