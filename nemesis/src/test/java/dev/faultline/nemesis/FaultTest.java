package dev.faultline.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.nemesis.faults.ClockFault;
import dev.faultline.nemesis.net.Grudge;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultTest {

  @Test
  void partitionFaultCarriesItsGrudgeAsAHistoryValue() {
    Grudge g = Grudge.parse("n1:n2,n3;n2:n1;n3:n1");
    Fault f = Fault.partition(g);
    assertThat(f.startName()).isEqualTo("start-partition");
    assertThat(f.stopName()).isEqualTo("stop-partition");
    assertThat(f.targets()).containsExactly("n1", "n2", "n3");
    assertThat(f.asValue())
        .containsEntry(
            "grudge", Map.of("n1", List.of("n2", "n3"), "n2", List.of("n1"), "n3", List.of("n1")));
    assertThat(f.grudge()).isEqualTo(g);
  }

  @Test
  void diskAndClockFaultsNameThemselvesInKebabCase() {
    assertThat(Fault.walTruncate("n2", 100).startName()).isEqualTo("start-wal-truncate");
    assertThat(Fault.walBitflip("n2", 3, 64).asValue())
        .containsEntry("targets", List.of("n2"))
        .containsEntry("bits", 3L)
        .containsEntry("tail-bytes", 64L);
    Fault clock = Fault.clock(List.of("n1"), ClockFault.offset(Duration.ofDays(-1)));
    assertThat(clock.stopName()).isEqualTo("stop-clock");
    assertThat(clock.clockFault()).isEqualTo(new ClockFault("-86400", true));
  }

  @Test
  void clockRateAlwaysCarriesAnOffsetSoLibfaketimeHonoursIt() {
    assertThat(ClockFault.rate(2).spec()).isEqualTo("+0 x2.000");
    assertThat(ClockFault.offset(Duration.ofHours(2)).spec()).isEqualTo("+7200");
  }
}
