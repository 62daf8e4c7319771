package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvailabilityTest {
  private final HistoryBuilder b = new HistoryBuilder();

  private void call(long process, long invoked, long completed, OpType outcome) {
    b.add(new Op(b.size(), invoked, process, OpType.INVOKE, "write", "k", 1L, null, null));
    b.add(new Op(b.size(), completed, process, outcome, "write", "k", 1L, "n1", null));
  }

  private void casMismatch(long process, long invoked, long completed) {
    b.add(
        new Op(b.size(), invoked, process, OpType.INVOKE, "cas", "k", List.of(1L, 2L), null, null));
    b.add(
        new Op(
            b.size(),
            completed,
            process,
            OpType.FAIL,
            "cas",
            "k",
            List.of(1L, 2L),
            "n1",
            "cas-mismatch"));
  }

  private void nemesis(long time, String f) {
    b.add(
        new Op(
            b.size(), time, Op.NEMESIS, OpType.INFO, f, null, Map.of("targets", "n1"), null, null));
  }

  @Test
  void opsCountInTheWindowInForceWhenTheyWereInvoked() {
    call(0, 10, 20, OpType.OK);
    call(0, 30, 40, OpType.OK);
    nemesis(100, "start-partition");
    call(0, 110, 120, OpType.OK);
    call(1, 130, 300, OpType.INFO); // invoked inside, completed after the heal: inside
    call(2, 140, 150, OpType.FAIL);
    call(3, 160, 170, OpType.FAIL);
    nemesis(200, "stop-partition");
    call(0, 210, 220, OpType.OK);
    nemesis(400, "start-kill");
    call(4, 410, 420, OpType.FAIL);
    nemesis(500, "stop-kill");
    nemesis(600, "start-partition");
    call(5, 610, 620, OpType.OK);
    History h = b.build();

    Availability a = Availability.of(h);

    assertThat(a.overall()).isEqualTo(new Availability.Counts(5, 3, 1));
    assertThat(a.outside()).isEqualTo(new Availability.Counts(3, 0, 0));
    assertThat(a.outside().availability()).isEqualTo(1.0);
    assertThat(a.windows()).hasSize(3);
    Availability.Window first = a.windows().get(0);
    assertThat(first.fault()).isEqualTo("partition");
    assertThat(first.startNanos()).isEqualTo(100);
    assertThat(first.endNanos()).isEqualTo(200);
    assertThat(first.counts()).isEqualTo(new Availability.Counts(1, 2, 1));
    assertThat(first.counts().availability()).isEqualTo(0.25);
    assertThat(a.windows().get(1).counts()).isEqualTo(new Availability.Counts(0, 1, 0));
    assertThat(a.windows().get(1).counts().availability()).isZero();
    // No stop before the history ended: the window runs to the end.
    assertThat(a.windows().get(2).endNanos()).isEqualTo(-1);
    assertThat(a.windows().get(2).counts()).isEqualTo(new Availability.Counts(1, 0, 0));
    assertThat(a.byFault())
        .containsEntry("partition", new Availability.Counts(2, 2, 1))
        .containsEntry("kill", new Availability.Counts(0, 1, 0));
  }

  @Test
  void aCompareAndSetThatFoundAnotherValueWasStillAnswered() {
    nemesis(0, "start-partition");
    casMismatch(0, 10, 20);
    call(1, 30, 40, OpType.FAIL);
    Availability a = Availability.of(b.build());

    Availability.Counts in = a.windows().get(0).counts();
    assertThat(in).isEqualTo(new Availability.Counts(0, 2, 0, 1));
    assertThat(in.answered()).isEqualTo(1);
    assertThat(in.availability()).isEqualTo(0.5);
    assertThat(in.toMap()).containsEntry("cas_mismatch", 1L).containsEntry("availability", 0.5);
  }

  @Test
  void pendingOpsAreNotCountedAndAnEmptyWindowHasNoAvailability() {
    nemesis(10, "start-pause");
    nemesis(20, "stop-pause");
    b.add(new Op(b.size(), 30, 0, OpType.INVOKE, "read", "k", null, null, null));
    Availability a = Availability.of(b.build());

    assertThat(a.overall().ops()).isZero();
    assertThat(a.windows().get(0).counts().availability()).isNaN();
    @SuppressWarnings("unchecked")
    var outside = (Map<String, Object>) a.toMap().get("outside_faults");
    assertThat(outside).containsEntry("availability", null).containsEntry("ops", 0L);
  }
}
