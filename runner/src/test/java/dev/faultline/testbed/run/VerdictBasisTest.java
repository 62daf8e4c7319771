package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.testbed.report.Availability;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerdictBasisTest {
  private static final long S = 1_000_000_000L;

  private static Availability availability() {
    var b = new HistoryBuilder();
    b.add(new Op(b.size(), S, 0, OpType.INVOKE, "write", "k", 1L, null, null));
    b.add(new Op(b.size(), 2 * S, 0, OpType.OK, "write", "k", 1L, "n1", null));
    b.add(
        new Op(
            b.size(),
            19 * S,
            Op.NEMESIS,
            OpType.INFO,
            "start-wal-truncate",
            null,
            Map.of("targets", List.of("n2")),
            null,
            null));
    b.add(new Op(b.size(), 20 * S, 1, OpType.INVOKE, "read", "k", null, null, null));
    b.add(new Op(b.size(), 21 * S, 1, OpType.INFO, "read", "k", null, "n2", "timeout"));
    b.add(new Op(b.size(), 22 * S, 2, OpType.INVOKE, "read", "k", null, null, null));
    b.add(new Op(b.size(), 23 * S, 2, OpType.FAIL, "read", "k", null, "n2", "unavailable"));
    return Availability.of(b.build());
  }

  @Test
  void nodesDownUnreadKeysAndWindowsWithoutSuccessEachWarn() {
    VerdictBasis basis =
        VerdictBasis.of(
            List.of("n2 (exited with code 3)"),
            List.of("c0", "c4", "c5"),
            availability(),
            Optional.empty());

    assertThat(basis.idleWindows())
        .containsExactly("wal-truncate n2 (19.0-23.0 s, never healed, 2 calls)");
    assertThat(basis.warnings())
        .containsExactly(
            "1 node never came back and did not serve at the end: n2 (exited with code 3)",
            "3 keys written but never read back, so a lost write on them cannot show: c0, c4, c5",
            "no call succeeded during 1 fault window, so the verdict says nothing about it:"
                + " wal-truncate n2 (19.0-23.0 s, never healed, 2 calls)");
    assertThat(basis.toMap()).containsEntry("warnings", basis.warnings());
  }

  @Test
  void aSoundRunHasNoWarningsAndLongListsAreCut() {
    var none =
        VerdictBasis.of(
            List.of(), List.of(), Availability.of(new HistoryBuilder().build()), Optional.empty());
    assertThat(none.warnings()).isEmpty();
    var many =
        VerdictBasis.of(
            List.of(),
            List.of("a", "b", "c", "d", "e", "f", "g"),
            availability(),
            Optional.of("SIGTERM"));
    assertThat(many.warnings().get(0)).startsWith("the run was interrupted (SIGTERM)");
    assertThat(many.warnings().get(1)).endsWith("a, b, c, d, e and 2 more");
  }

  @Test
  void aNodeNotReadyWhenTheWorkloadBeganIsNamed() {
    var late =
        VerdictBasis.of(
            List.of(),
            List.of(),
            Availability.of(new HistoryBuilder().build()),
            Optional.empty(),
            List.of("n1 (running, not ready)"));
    assertThat(late.warnings())
        .containsExactly(
            "1 node was not ready when the workload began, so the run also tested a late join:"
                + " n1 (running, not ready)");
    assertThat(late.toMap()).containsEntry("late_nodes", List.of("n1 (running, not ready)"));
  }
}
