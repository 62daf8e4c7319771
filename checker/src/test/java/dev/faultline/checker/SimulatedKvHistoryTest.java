package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedKvHistoryTest {

  @Test
  void streamingHandsOnTheOpsTheHeldHistoryHolds() {
    History held = SimulatedKvHistory.generate(11, 2_000, 20, 16, 5);
    List<Op> streamed = new ArrayList<>();
    SimulatedKvHistory.stream(11, 2_000, 20, 16, 5, streamed::add);
    assertThat(streamed).hasSize(held.size());
    for (int i = 0; i < streamed.size(); i++) {
      assertThat(streamed.get(i)).isEqualTo(held.get(i));
      assertThat(streamed.get(i).index()).isEqualTo(i);
    }
  }

  @Test
  void theSameSeedGivesTheSameHistoryAndAnotherSeedAnother() {
    List<Op> a = new ArrayList<>();
    List<Op> b = new ArrayList<>();
    List<Op> c = new ArrayList<>();
    SimulatedKvHistory.stream(5, 500, 10, 4, 10, a::add);
    SimulatedKvHistory.stream(5, 500, 10, 4, 10, b::add);
    SimulatedKvHistory.stream(6, 500, 10, 4, 10, c::add);
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }

  @Test
  void everyCallCompletesAndTheHistoryIsLinearizable() {
    History h = SimulatedKvHistory.generate(3, 3_000, 30, 16, 5);
    assertThat(h.calls()).hasSize(3_000);
    assertThat(h.ops()).filteredOn(o -> o.type() == OpType.INFO).isNotEmpty();
    assertThat(Checker.check(h, CheckOptions.defaults()).verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void badSizesAreRefused() {
    assertThatThrownBy(() -> SimulatedKvHistory.generate(1, 10, 0, 4, 5))
        .hasMessageContaining("keys >= 1");
  }
}
