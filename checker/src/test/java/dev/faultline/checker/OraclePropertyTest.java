package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.checker.model.KvModel;
import dev.faultline.checker.model.RegisterModel;
import dev.faultline.checker.model.SetModel;
import dev.faultline.histories.History;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/** The search agrees with a brute-force enumeration of every real-time-consistent order. */
class OraclePropertyTest {

  private static CheckOptions options() {
    return CheckOptions.defaults().withTimeout(Duration.ofSeconds(30)).withThreads(1);
  }

  private static Verdict oracle(History h) {
    Verdict v = new BruteForceOracle(h).linearizable() ? Verdict.VALID : Verdict.INVALID;
    Statistics.label("oracle verdict").collect(v);
    return v;
  }

  @Property(tries = 600)
  void splitKvCheckAgreesWithBruteForce(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int keys) {
    History h = RandomHistories.interleaved(seed, 6, 14, keys, true);
    CheckResult r = Checker.check(h, options().withModel(KvModel.create()));
    assertThat(r.verdict()).as("%s", h.ops()).isEqualTo(oracle(h));
  }

  @Property(tries = 400)
  void unsplitKvCheckAgreesWithBruteForce(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int keys) {
    History h = RandomHistories.interleaved(seed, 6, 14, keys, true);
    CheckResult r = Checker.check(h, options().withModel(KvModel.create()).withSplit(false));
    assertThat(r.keys()).hasSize(1);
    assertThat(r.verdict()).as("%s", h.ops()).isEqualTo(oracle(h));
  }

  @Property(tries = 800)
  void appendGetCheckAgreesWithBruteForce(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 2) int keys, @ForAll boolean puts) {
    History h = RandomHistories.appends(seed, 6, 14, keys, puts);
    CheckResult r = Checker.check(h, options().withModel(KvModel.create()));
    assertThat(r.verdict()).as("%s", h.ops()).isEqualTo(oracle(h));
  }

  @Property(tries = 400)
  void casRegisterCheckAgreesWithBruteForce(@ForAll long seed) {
    History h = RandomHistories.interleaved(seed, 6, 14, 1, false);
    CheckResult r = Checker.check(h, options().withModel(RegisterModel.casRegister()));
    assertThat(r.verdict()).as("%s", h.ops()).isEqualTo(oracle(h));
  }

  @Property(tries = 400)
  void setCheckAgreesWithBruteForce(@ForAll long seed) {
    History h = RandomHistories.sets(seed, 6, 14);
    CheckResult r = Checker.check(h, options().withModel(SetModel.create()));
    assertThat(r.verdict()).as("%s", h.ops()).isEqualTo(oracle(h));
  }

  @Property(tries = 200)
  void parallelCheckAgreesWithSingleThreaded(@ForAll long seed) {
    History h = RandomHistories.interleaved(seed, 6, 14, 3, true);
    Verdict one = Checker.check(h, options().withModel(KvModel.create())).verdict();
    Verdict many = Checker.check(h, options().withModel(KvModel.create()).withThreads(3)).verdict();
    assertThat(many).isEqualTo(one);
  }
}
