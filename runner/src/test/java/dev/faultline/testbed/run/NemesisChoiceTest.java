package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.testbed.plan.FaultKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class NemesisChoiceTest {
  @Test
  void allIncludesClockOnlyWhereLibfaketimeIsInstalled() {
    assertThat(NemesisChoice.parse("all", true).kinds())
        .containsExactly(
            FaultKind.PARTITION, FaultKind.KILL, FaultKind.PAUSE, FaultKind.DISK, FaultKind.CLOCK);
    assertThat(NemesisChoice.parse("all", false).kinds()).doesNotContain(FaultKind.CLOCK);
    assertThat(NemesisChoice.parse("all", false).dirName()).isEqualTo("all");
  }

  @Test
  void aListKeepsItsOrderDropsRepeatsAndNamesTheRunDirectory() {
    NemesisChoice c = NemesisChoice.parse("kill, partition,kill", false);
    assertThat(c.kinds()).containsExactly(FaultKind.KILL, FaultKind.PARTITION);
    assertThat(c.dirName()).isEqualTo("kill+partition");
    assertThat(c.needsPartitions()).isTrue();
    assertThat(NemesisChoice.parse(NemesisChoice.DEFAULT, false).kinds())
        .isEqualTo(List.of(FaultKind.PARTITION, FaultKind.KILL, FaultKind.PAUSE));
  }

  @Test
  void noneSchedulesNothingAndNeedsNoSandbox() {
    NemesisChoice none = NemesisChoice.parse("none", true);
    assertThat(none.kinds()).isEmpty();
    assertThat(none.needsPartitions()).isFalse();
    assertThat(none.dirName()).isEqualTo("none");
  }

  @Test
  void badNamesAreRefusedWithTheChoices() {
    assertThatThrownBy(() -> NemesisChoice.parse("partition,flood", true))
        .hasMessage(
            "unknown nemesis 'flood': use none, all, or a comma-separated list of partition,"
                + " partition-leader, kill, pause, disk, clock, latency, bandwidth, flaky");
    assertThatThrownBy(() -> NemesisChoice.parse("kill,,pause", true))
        .hasMessageContaining("empty name");
    assertThatThrownBy(() -> NemesisChoice.parse("none,kill", true))
        .hasMessageContaining("cannot be combined");
  }
}
