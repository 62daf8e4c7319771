package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.faultline.histories.History;
import dev.faultline.histories.OpType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityTest {

  @Test
  void callsCountInTheWindowTheyWereInvokedInAndTheRestOutside() {
    History h =
        new Ops()
            .call(0, 5, 0, OpType.OK, "read")
            .nemesis(10, OpType.INFO, "start-partition", "n1")
            .call(11, 12, 0, OpType.FAIL, "write")
            .call(13, 40, 1, OpType.INFO, "write")
            .call(14, 15, 0, OpType.OK, "read")
            .invoke(16, 2, "read", null)
            .nemesis(20, OpType.INFO, "stop-partition", null)
            .call(21, 22, 0, OpType.OK, "read")
            .call(23, 24, 0, OpType.FAIL, "read")
            .build();
    List<Availability> a = Availability.of(h, FaultWindows.of(h));
    assertThat(a).hasSize(2);
    Availability during = a.get(0);
    assertThat(during.label()).isEqualTo("partition n1");
    assertThat(List.of(during.calls(), during.ok(), during.fail(), during.info()))
        .containsExactly(3, 1, 1, 1);
    assertThat(during.okShare()).isCloseTo(1.0 / 3, within(1e-9));
    Availability outside = a.get(1);
    assertThat(outside.window()).isNull();
    assertThat(outside.label()).isEqualTo("outside faults");
    assertThat(List.of(outside.calls(), outside.ok(), outside.fail(), outside.info()))
        .containsExactly(3, 2, 1, 0);
  }

  @Test
  void aStretchWithoutCallsCountsAsFullyAvailable() {
    History h =
        new Ops()
            .nemesis(1, OpType.INFO, "start-kill", "n1")
            .nemesis(2, OpType.INFO, "stop-kill", "n1")
            .build();
    assertThat(Availability.of(h, FaultWindows.of(h)))
        .allSatisfy(a -> assertThat(a.okShare()).isEqualTo(1.0));
  }

  @Test
  void faultsOfTheSyntheticRunLowerAvailability() {
    History h = SyntheticRun.history(11, 10, Duration.ofSeconds(6), 5, false);
    List<Availability> a = Availability.of(h, FaultWindows.of(h));
    Availability outside = a.get(a.size() - 1);
    assertThat(outside.okShare()).isEqualTo(1.0);
    assertThat(a.get(0).okShare()).isLessThan(0.9);
    assertThat(a.stream().mapToInt(Availability::calls).sum())
        .isEqualTo(h.calls().size() - h.pending().size());
  }

  @Test
  void statsPerFunctionAddUpToTheTotals() {
    History h =
        new Ops()
            .call(0, 1, 0, OpType.OK, "read")
            .call(1, 2, 0, OpType.FAIL, "write")
            .call(2, 3, 0, OpType.INFO, "write")
            .invoke(4, 1, "read", null)
            .build();
    assertThat(FunctionStats.of(h))
        .containsExactly(
            new FunctionStats("read", 2, 1, 0, 0, 1),
            new FunctionStats("write", 2, 0, 1, 1, 0),
            new FunctionStats("all", 4, 1, 1, 1, 1));
  }
}
