package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.checker.model.KvModel;
import dev.faultline.checker.model.RegisterModel;
import dev.faultline.histories.History;
import org.junit.jupiter.api.Test;

/**
 * What an invalid result says: the culprit, the prefix, the states there, each candidate's flaw.
 */
class CounterexampleTest {

  @Test
  void staleReadIsTheCulpritWithTheRegisterValueAsReason() {
    // #0-1 write 3, #2-3 write 4, then #4-5 a read of 3 that can only come after both writes.
    History h =
        Histories.of()
            .invoke(0, "write", 3L)
            .ok(0, "write", 3L)
            .invoke(0, "write", 4L)
            .ok(0, "write", 4L)
            .invoke(1, "read", null)
            .ok(1, "read", 3L)
            .build();
    CheckResult r = Checker.check(h, CheckOptions.defaults().withModel(RegisterModel.register()));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    KeyResult k = r.keys().get(0);
    Counterexample c = k.counterexample();
    assertThat(c.culprit()).isEqualTo(4);
    assertThat(c.culpritCompletion()).isEqualTo(5);
    assertThat(c.culpritDescription()).isEqualTo("read 3");
    assertThat(k.linearization()).extracting(Step::op).containsExactly(0, 2);
    assertThat(k.linearization()).extracting(Step::stateAfter).containsExactly("3", "4");
    assertThat(c.states()).containsExactly("4");
    assertThat(c.candidates())
        .containsExactly(new Candidate(4, "read 3", "read 3, but the register holds 4"));
    assertThat(c.windowFrom()).isEqualTo(4);
    assertThat(c.windowTo()).isEqualTo(5);
  }

  @Test
  void everyConcurrentCandidateGetsItsOwnReason() {
    // After a write of 1, a read of 2 and a cas 3→4 run concurrently: neither can go next.
    History h =
        Histories.of()
            .invoke(0, "write", "x", 1L)
            .ok(0, "write", "x", 1L)
            .invoke(1, "read", "x", null)
            .invoke(2, "cas", "x", java.util.List.of(3L, 4L))
            .ok(1, "read", "x", 2L)
            .ok(2, "cas", "x", java.util.List.of(3L, 4L))
            .build();
    CheckResult r = Checker.check(h, CheckOptions.defaults().withModel(KvModel.create()));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    KeyResult k = r.firstInvalid().orElseThrow();
    Counterexample c = k.counterexample();
    assertThat(c.culprit()).isEqualTo(2);
    assertThat(k.linearization()).extracting(Step::op).containsExactly(0);
    assertThat(c.states()).containsExactly("{\"x\" 1}");
    assertThat(c.candidates())
        .containsExactly(
            new Candidate(2, "read \"x\" 2", "read 2, but key \"x\" holds 1"),
            new Candidate(3, "cas \"x\" 3→4", "cas expects 3, but key \"x\" holds 1"));
  }

  @Test
  void otherKeysStopEarlyAndSayTheyWereNotDecided() {
    History h = BudgetTest.hardRegisterHistory("slow", 40);
    History both =
        History.of(
            java.util.stream.Stream.concat(
                    Histories.of()
                        .invoke(900, "write", "bad", 1L)
                        .ok(900, "write", "bad", 1L)
                        .invoke(900, "read", "bad", null)
                        .ok(900, "read", "bad", 2L)
                        .build()
                        .ops()
                        .stream(),
                    h.ops().stream())
                .toList());
    CheckResult r =
        Checker.check(
            both,
            CheckOptions.defaults()
                .withModel(KvModel.create())
                .withThreads(1)
                .withTimeout(java.time.Duration.ofSeconds(60)));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    KeyResult slow = r.keys().stream().filter(k -> "slow".equals(k.key())).findFirst().get();
    assertThat(slow.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(slow.decided()).isFalse();
    assertThat(slow.reason()).contains("stopped early").contains("\"bad\"");
  }
}
