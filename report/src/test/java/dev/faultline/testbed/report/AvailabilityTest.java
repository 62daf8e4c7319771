package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.time.Duration;
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

  private static Availability.Counts counts(long ok, long fail, long info) {
    return new Availability.Counts(ok, fail, info, 0, 0);
  }

  @Test
  void callsCountInTheWindowsInForceWhenTheyWereInvoked() {
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

    assertThat(a.overall()).isEqualTo(counts(5, 3, 1));
    assertThat(a.outside()).isEqualTo(counts(3, 0, 0));
    assertThat(a.outside().availability()).isEqualTo(1.0);
    assertThat(a.windows()).hasSize(3);
    Availability.Window first = a.windows().get(0);
    assertThat(first.window().fault()).isEqualTo("partition");
    assertThat(first.window().start()).isEqualTo(100);
    assertThat(first.window().end()).isEqualTo(200);
    assertThat(first.value()).isEqualTo(Map.of("targets", "n1"));
    assertThat(first.counts()).isEqualTo(counts(1, 2, 1));
    assertThat(first.counts().availability()).isEqualTo(0.25);
    assertThat(a.windows().get(1).counts()).isEqualTo(counts(0, 1, 0));
    // No stop before the history ended: the window runs to the end, open.
    Availability.Window last = a.windows().get(2);
    assertThat(last.window().healed()).isFalse();
    assertThat(last.toMap()).containsEntry("end_s", null).containsEntry("healed", false);
    assertThat(last.counts()).isEqualTo(counts(1, 0, 0));
    assertThat(a.byFault())
        .containsEntry("partition", counts(2, 2, 1))
        .containsEntry("kill", counts(0, 1, 0));
  }

  @Test
  void aCompareAndSetThatFoundAnotherValueIsAnAnswerNotAnOutage() {
    nemesis(0, "start-partition");
    casMismatch(0, 10, 20);
    call(1, 30, 40, OpType.FAIL);
    nemesis(50, "stop-partition");
    Availability a = Availability.of(b.build());

    Availability.Counts in = a.windows().get(0).counts();
    assertThat(in).isEqualTo(new Availability.Counts(0, 2, 0, 1, 0));
    assertThat(in.answered()).isEqualTo(1);
    assertThat(in.availability()).isEqualTo(0.5);
    assertThat(in.toMap())
        .containsEntry("cas_mismatch", 1L)
        .containsEntry("answered", 1L)
        .containsEntry("availability", 0.5);
  }

  @Test
  void pendingCallsAreShownApartAndCountedInNeitherSide() {
    nemesis(10, "start-pause");
    call(0, 12, 14, OpType.OK);
    b.add(new Op(b.size(), 15, 1, OpType.INVOKE, "read", "k", null, null, null));
    nemesis(20, "stop-pause");
    b.add(new Op(b.size(), 30, 2, OpType.INVOKE, "read", "k", null, null, null));
    Availability a = Availability.of(b.build());

    assertThat(a.windows().get(0).counts()).isEqualTo(new Availability.Counts(1, 0, 0, 0, 1));
    assertThat(a.windows().get(0).counts().availability()).isEqualTo(1.0);
    assertThat(a.outside().ops()).isZero();
    assertThat(a.outside().pending()).isEqualTo(1);
    assertThat(a.outside().availability()).isNaN();
    @SuppressWarnings("unchecked")
    var outside = (Map<String, Object>) a.toMap().get("outside_faults");
    assertThat(outside).containsEntry("availability", null).containsEntry("pending", 1L);
  }

  @Test
  void jepsenStyleInvokeAndCompletionEventsMakeOneWindowNotTwo() {
    nemesis(100, "start-partition");
    nemesis(105, "start-partition");
    call(0, 110, 120, OpType.OK);
    nemesis(200, "stop-partition");
    nemesis(205, "stop-partition");
    call(0, 210, 220, OpType.OK);
    Availability a = Availability.of(b.build());

    assertThat(a.windows()).hasSize(1);
    assertThat(a.windows().get(0).window().end()).isEqualTo(205);
    assertThat(a.windows().get(0).counts()).isEqualTo(counts(1, 0, 0));
    assertThat(a.outside()).isEqualTo(counts(1, 0, 0));
  }

  @Test
  void faultsOfTheSyntheticRunLowerAvailability() {
    History h = SyntheticRun.history(11, 10, Duration.ofSeconds(6), 5, false);
    Availability a = Availability.of(h);
    assertThat(a.outside().availability()).isEqualTo(1.0);
    assertThat(a.windows().get(0).counts().availability()).isLessThan(0.9);
    assertThat(a.overall().ops() + a.overall().pending()).isEqualTo(h.calls().size());
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
