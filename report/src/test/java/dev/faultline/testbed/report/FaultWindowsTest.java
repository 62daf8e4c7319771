package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.History;
import dev.faultline.histories.OpType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultWindowsTest {
  private static final long MS = 1_000_000;

  @Test
  void startAndStopEventsBoundAWindowLabelledByFaultAndTargets() {
    History h =
        new Ops()
            .call(0, 5, 0, OpType.OK, "read")
            .nemesis(10, OpType.INFO, "start-partition", Map.of("targets", List.of("n1", "n2")))
            .call(12, 15, 0, OpType.OK, "read")
            .nemesis(20, OpType.INFO, "stop-partition", null)
            .build();
    assertThat(FaultWindows.of(h))
        .containsExactly(new FaultWindow("partition", "n1 n2", 10 * MS, 20 * MS, true));
    assertThat(FaultWindows.of(h).get(0).label()).isEqualTo("partition n1 n2");
  }

  @Test
  void anInvocationAndItsCompletionWidenOneWindow() {
    History h =
        new Ops()
            .nemesis(10, OpType.INVOKE, "start-kill", Map.of("targets", List.of("n3")))
            .nemesis(11, OpType.INFO, "start-kill", Map.of("targets", List.of("n3")))
            .nemesis(30, OpType.INVOKE, "stop-kill", null)
            .nemesis(33, OpType.INFO, "stop-kill", null)
            .build();
    assertThat(FaultWindows.of(h))
        .containsExactly(new FaultWindow("kill", "n3", 10 * MS, 33 * MS, true));
  }

  @Test
  void theNemesissShapeOrTargetRuleJoinsTheLabel() {
    assertThat(
            FaultWindows.target(
                Map.of("targets", List.of("n1", "n2"), "grudge", Map.of(), "shape", "bridge")))
        .isEqualTo("n1 n2 (bridge)");
    assertThat(FaultWindows.target(Map.of("targets", List.of("n2", "n3"), "target", "majority")))
        .isEqualTo("n2 n3 (majority)");
    assertThat(FaultWindows.target(Map.of("grudge", Map.of("n1", List.of("n2")))))
        .isEqualTo("{grudge {n1 [\"n2\"]}}");
  }

  @Test
  void aFaultNeverStoppedLastsToTheEndOfTheHistory() {
    History h =
        new Ops()
            .nemesis(10, OpType.INFO, "start-pause", "n2")
            .call(12, 40, 0, OpType.OK, "read")
            .build();
    assertThat(FaultWindows.of(h))
        .containsExactly(new FaultWindow("pause", "n2", 10 * MS, 40 * MS, false));
  }

  @Test
  void jepsensBareStartAndStopAreTheNemesisFaultAndOverlappingFaultsAreSeparate() {
    History h =
        new Ops()
            .nemesis(1, OpType.INFO, "start", null)
            .nemesis(2, OpType.INFO, "start-clock", Map.of("targets", List.of("n1")))
            .nemesis(5, OpType.INFO, "stop", null)
            .build();
    assertThat(FaultWindows.of(h))
        .containsExactly(
            new FaultWindow("nemesis", "", MS, 5 * MS, true),
            new FaultWindow("clock", "n1", 2 * MS, 5 * MS, true));
  }

  @Test
  void theSyntheticRunsTwoFaultsAreFound() {
    Duration length = Duration.ofSeconds(6);
    History h = SyntheticRun.history(3, 4, length, 3, false);
    List<FaultWindow> windows = FaultWindows.of(h);
    assertThat(windows).extracting(FaultWindow::label).containsExactly("partition n1", "kill n2");
    assertThat(windows.get(0).start()).isEqualTo(length.toNanos() / 6);
    assertThat(windows.get(1).end()).isEqualTo(length.toNanos() * 3 / 4);
  }
}
