package dev.faultline.histories;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryStatsTest {
  private static Op op(long time, long process, OpType type, String f, Object key, Object value) {
    return new Op(0, time, process, type, f, key, value, null, null);
  }

  @Test
  void countsOpsConcurrencyAndUnknownOutcomes() {
    History h =
        History.of(
            List.of(
                op(10, 0, OpType.INVOKE, "write", "a", 1L),
                op(11, 1, OpType.INVOKE, "read", "a", null),
                op(12, 2, OpType.INVOKE, "read", "b", null),
                op(13, 0, OpType.OK, "write", "a", 1L),
                op(14, Op.NEMESIS, OpType.INFO, "start-partition", null, null),
                op(15, 1, OpType.INFO, "read", "a", null),
                op(16, 3, OpType.INVOKE, "write", "a", 2L),
                op(40, 3, OpType.FAIL, "write", "a", 2L)));
    HistoryStats s = HistoryStats.of(h);
    assertThat(s.ops()).isEqualTo(8);
    assertThat(s.nemesisEvents()).isEqualTo(1);
    assertThat(s.maxConcurrency()).isEqualTo(3);
    assertThat(s.pending()).isEqualTo(1);
    assertThat(s.info()).isEqualTo(1);
    assertThat(s.processes()).isEqualTo(4);
    assertThat(s.keys()).isEqualTo(2);
    assertThat(s.topKeys().get(0)).isEqualTo(new HistoryStats.Count("a", 6));
    assertThat(s.byFunction().get("write"))
        .containsEntry(OpType.INVOKE, 2L)
        .containsEntry(OpType.FAIL, 1L);
    assertThat(s.span()).isEqualTo(30);
  }
}
