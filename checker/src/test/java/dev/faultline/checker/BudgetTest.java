package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.checker.model.KvModel;
import dev.faultline.histories.History;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A spent budget gives UNKNOWN with the reason and the progress, never a hang. */
class BudgetTest {

  /**
   * {@code writers} concurrent writes of distinct values on one key, all complete, then a read of a
   * value none wrote: proving it invalid means trying every subset of the writes in every state.
   */
  static History hardRegisterHistory(String key, int writers) {
    Histories h = Histories.of();
    for (int p = 0; p < writers; p++) {
      h.invoke(p, "write", key, (long) p);
    }
    for (int p = 0; p < writers; p++) {
      h.ok(p, "write", key, (long) p);
    }
    return h.invoke(writers, "read", key, null).ok(writers, "read", key, -1L).build();
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void tinyTimeoutYieldsUnknownWithTheReason() {
    CheckResult r =
        Checker.check(
            hardRegisterHistory("k", 40),
            CheckOptions.defaults()
                .withModel(KvModel.create())
                .withTimeout(Duration.ofMillis(200)));
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.reason()).contains("timeout").contains("longest linearizable prefix found");
    assertThat(r.keys().get(0).steps()).isPositive();
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void memoCapYieldsUnknownInsteadOfRunningOutOfMemory() {
    CheckResult r =
        Checker.check(
            hardRegisterHistory("k", 40),
            CheckOptions.defaults()
                .withModel(KvModel.create())
                .withTimeout(Duration.ofSeconds(60))
                .withMemoLimitBytes(4L << 20));
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.reason()).contains("memo limit");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void deadlineStopsEveryKeySearchedInParallel() {
    History a = hardRegisterHistory("a", 40);
    History b = hardRegisterHistory("b", 40);
    History both =
        History.of(java.util.stream.Stream.concat(a.ops().stream(), b.ops().stream()).toList());
    CheckResult r =
        Checker.check(
            both,
            CheckOptions.defaults()
                .withModel(KvModel.create())
                .withThreads(2)
                .withTimeout(Duration.ofMillis(300)));
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.keys()).allSatisfy(k -> assertThat(k.verdict()).isEqualTo(Verdict.UNKNOWN));
  }
}
