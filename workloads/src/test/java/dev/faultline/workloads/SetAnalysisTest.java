package dev.faultline.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetAnalysisTest {

  /** Writes a history line by line, one millisecond apart. */
  private static final class Script {
    private final HistoryBuilder b = new HistoryBuilder();

    Script op(long process, OpType type, String f, Object value) {
      long time = b.size() * 1_000_000L;
      b.add(new Op(b.size(), time, process, type, f, "s", value, null, null));
      return this;
    }

    Script add(long process, long element, OpType outcome) {
      return op(process, OpType.INVOKE, "add", element).op(process, outcome, "add", element);
    }

    Script read(long process, Long... elements) {
      return op(process, OpType.INVOKE, "read", null)
          .op(process, OpType.OK, "read", List.of((Object[]) elements));
    }

    History history() {
      return b.build();
    }
  }

  @Test
  void everyAcknowledgedAddInTheFinalReadIsValid() {
    History h =
        new Script()
            .add(0, 1, OpType.OK)
            .add(1, 2, OpType.OK)
            .read(2, 1L)
            .add(0, 3, OpType.FAIL)
            .read(2, 1L, 2L)
            .history();
    SetAnalysis a = SetAnalysis.of(h);
    assertThat(a.valid()).isTrue();
    assertThat(a.attempted()).isEqualTo(3);
    assertThat(a.acknowledged()).isEqualTo(2);
    assertThat(a.lost()).isEmpty();
    assertThat(a.unexpected()).isEmpty();
    // 1 was invoked at 0 ms and first read by the read completing at 5 ms.
    assertThat(a.firstSeenNanos()).containsEntry(1L, 5_000_000L).containsEntry(2L, 7_000_000L);
  }

  @Test
  void acknowledgedAddMissingFromFinalReadIsLost() {
    History h =
        new Script()
            .add(0, 1, OpType.OK)
            .add(1, 2, OpType.OK)
            .read(2, 1L, 2L)
            .read(2, 1L)
            .history();
    SetAnalysis a = SetAnalysis.of(h);
    assertThat(a.valid()).isFalse();
    assertThat(a.lost()).containsExactly(2L);
    assertThat(a.summary()).startsWith("set: INVALID").contains("1 lost");
  }

  @Test
  void elementNobodyAddedIsUnexpected() {
    History h = new Script().add(0, 1, OpType.OK).read(1, 1L, 99L).history();
    SetAnalysis a = SetAnalysis.of(h);
    assertThat(a.valid()).isFalse();
    assertThat(a.unexpected()).containsExactly(99L);
  }

  @Test
  void failedAddThatTookEffectIsUnexpected() {
    History h = new Script().add(0, 1, OpType.FAIL).read(1, 1L).history();
    assertThat(SetAnalysis.of(h).unexpected()).containsExactly(1L);
  }

  @Test
  void elementReadTwiceIsDuplicated() {
    History h =
        new Script().add(0, 1, OpType.OK).add(0, 2, OpType.OK).read(1, 1L, 2L, 1L).history();
    SetAnalysis a = SetAnalysis.of(h);
    assertThat(a.valid()).isFalse();
    assertThat(a.duplicated()).containsExactly(1L);
    assertThat(a.lost()).isEmpty();
  }

  @Test
  void unknownAddPresentAtTheEndIsRecoveredAndAbsentOneIsFine() {
    History h =
        new Script()
            .add(0, 1, OpType.INFO)
            .add(10, 2, OpType.INFO)
            .op(20, OpType.INVOKE, "add", 3L)
            .read(1, 1L, 3L)
            .history();
    SetAnalysis a = SetAnalysis.of(h);
    assertThat(a.valid()).isTrue();
    assertThat(a.indeterminate()).isEqualTo(3);
    assertThat(a.recovered()).containsExactly(1L, 3L);
    assertThat(a.lost()).isEmpty();
  }

  @Test
  void addAcknowledgedAfterTheFinalReadBeganIsUncheckedNotLost() {
    History h =
        new Script()
            .op(0, OpType.INVOKE, "add", 1L)
            .op(1, OpType.INVOKE, "read", null)
            .op(0, OpType.OK, "add", 1L)
            .op(1, OpType.OK, "read", List.of())
            .history();
    SetAnalysis a = SetAnalysis.of(h);
    assertThat(a.valid()).isTrue();
    assertThat(a.unchecked()).containsExactly(1L);
    assertThat(a.lost()).isEmpty();
  }

  @Test
  void failedReadsAreIgnoredAndTheLastSuccessfulReadIsFinal() {
    History h =
        new Script()
            .add(0, 1, OpType.OK)
            .read(1, 1L)
            .op(1, OpType.INVOKE, "read", null)
            .op(1, OpType.FAIL, "read", null)
            .history();
    SetAnalysis a = SetAnalysis.of(h);
    assertThat(a.valid()).isTrue();
    assertThat(a.toMap()).containsEntry("valid", true).containsEntry("lost", List.of());
  }
}
