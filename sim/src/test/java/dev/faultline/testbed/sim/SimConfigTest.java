package dev.faultline.testbed.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimConfigTest {

  @Test
  void eachWithChangesOnlyItsPart() {
    SimConfig base = SimConfig.defaults();
    SimConfig c = base.withNodes(3).withBug(null).withFaultEvery(300).withNetwork(0.1, 0, 0.2);
    assertThat(c.nodes()).isEqualTo(3);
    assertThat(c.faultEveryMillis()).isEqualTo(300);
    assertThat(c.drop()).isEqualTo(0.1);
    assertThat(c.slowMillis()).isEqualTo(base.slowMillis());
    assertThat(c.faults().partition()).isEqualTo(base.faults().partition());
    assertThat(c.withWorkload("kv").network()).isEqualTo(c.network());
    assertThat(c.withFlap(0).run()).isEqualTo(c.run());
  }

  @Test
  void aSeedsMixIsDrawnFromItsOwnStreamAndOnlyOnce() {
    SimConfig base = SimConfig.defaults();
    SimConfig a = base.forSeed(new SplittableRandom(4));
    assertThat(a).isEqualTo(base.forSeed(new SplittableRandom(4)));
    assertThat(a.randomizeFaults()).isFalse();
    assertThat(a.forSeed(new SplittableRandom(5))).isSameAs(a);
    assertThat(a.run()).isEqualTo(base.run());
    assertThat(a.drop()).isBetween(0.0, 1.0);
  }

  @Test
  void badSettingsAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> SimConfig.defaults().withNodes(12))
        .hasMessage("--nodes must be between 1 and 9, was 12");
    assertThatThrownBy(() -> SimConfig.defaults().withWorkload("bank"))
        .hasMessageStartingWith("--workload: unknown workload 'bank'");
    assertThatThrownBy(() -> SimConfig.defaults().withNetwork(1.5, 0, 0))
        .hasMessage("probabilities must be within [0, 1], was 1.5");
  }
}
