package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.checker.model.KvModel;
import dev.faultline.histories.History;
import java.time.Duration;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Histories recorded around a real sequential run are valid; one impossible read makes them not.
 */
class SequentialPropertyTest {

  private static CheckOptions options() {
    return CheckOptions.defaults().withTimeout(Duration.ofSeconds(30)).withThreads(1);
  }

  @Property(tries = 300)
  void historyOfASequentialRunIsValid(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 120) int ops,
      @ForAll @IntRange(min = 1, max = 3) int keys,
      @ForAll @IntRange(min = 1, max = 3000) int spread) {
    History h = SequentialHistories.generate(seed, ops, keys, spread);
    CheckResult r = Checker.check(h, options().withModel(KvModel.create()));
    assertThat(r.verdict()).as("%s", r.reason()).isEqualTo(Verdict.VALID);
    assertThat(r.keys()).allSatisfy(k -> assertThat(k.decided()).isTrue());
  }

  @Property(tries = 100)
  void historyOfASequentialRunIsValidUnsplit(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 40) int ops,
      @ForAll @IntRange(min = 1, max = 3) int keys,
      @ForAll @IntRange(min = 1, max = 2500) int spread) {
    History h = SequentialHistories.generate(seed, ops, keys, spread);
    CheckResult r = Checker.check(h, options().withModel(KvModel.create()).withSplit(false));
    assertThat(r.verdict()).as("%s", r.reason()).isEqualTo(Verdict.VALID);
  }

  @Property(tries = 300)
  void readOfAValueNeverWrittenMakesItInvalid(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 120) int ops,
      @ForAll @IntRange(min = 1, max = 3) int keys,
      @ForAll @IntRange(min = 1, max = 3000) int spread,
      @ForAll int pick) {
    History h =
        SequentialHistories.corruptOneRead(
            SequentialHistories.generate(seed, ops, keys, spread), pick);
    Assume.that(h != null);
    CheckResult r = Checker.check(h, options().withModel(KvModel.create()));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    KeyResult bad = r.firstInvalid().orElseThrow();
    assertThat(bad.counterexample()).isNotNull();
    assertThat(bad.counterexample().culpritDescription())
        .contains(Long.toString(SequentialHistories.NEVER_WRITTEN));
  }
}
