package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.checker.model.KvModel;
import dev.faultline.histories.History;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One thread is shared fairly between keys: a hard key holds up neither an invalid one nor an easy
 * one.
 */
class KeySchedulerTest {

  /**
   * Key "h" first: 22 overlapping writes and then a read of a value none wrote, which the search
   * can only refute by trying every order of the writes (millions of configurations). Key "a": 30
   * writes one after the other and a read of a stale value, refuted at once. Key "v": valid.
   */
  private static History hardKeyFirst() {
    Histories h = Histories.of();
    for (int p = 0; p < 22; p++) {
      h.invoke(p, "write", "h", (long) p);
    }
    for (int p = 0; p < 22; p++) {
      h.ok(p, "write", "h", (long) p);
    }
    h.invoke(100, "read", "h", null).ok(100, "read", "h", 99L);
    for (long v = 0; v < 30; v++) {
      h.invoke(200, "write", "a", v).ok(200, "write", "a", v);
    }
    h.invoke(200, "read", "a", null).ok(200, "read", "a", 3L);
    h.invoke(300, "write", "v", 1L).ok(300, "write", "v", 1L);
    h.invoke(300, "read", "v", null).ok(300, "read", "v", 1L);
    return h.build();
  }

  private static Map<Object, KeyResult> byKey(CheckResult r) {
    return r.keys().stream().collect(Collectors.toMap(KeyResult::key, Function.identity()));
  }

  @Test
  void invalidKeyIsFoundAlthoughAHardKeyComesFirst() {
    CheckResult r =
        Checker.check(
            hardKeyFirst(),
            CheckOptions.defaults()
                .withModel(KvModel.create())
                .withThreads(1)
                .withTimeout(Duration.ofSeconds(60)));
    assertThat(r.verdict()).as("%s", r.reason()).isEqualTo(Verdict.INVALID);
    Map<Object, KeyResult> keys = byKey(r);
    assertThat(keys.get("a").verdict()).isEqualTo(Verdict.INVALID);
    assertThat(keys.get("v").verdict()).isEqualTo(Verdict.VALID);
    assertThat(keys.get("h").verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(keys.get("h").reason()).contains("key \"a\" is invalid");
  }

  @Test
  void keyThatCannotFinishEndsUnknownAloneWhenEveryKeyIsDecided() {
    CheckResult r =
        Checker.check(
            hardKeyFirst(),
            CheckOptions.defaults()
                .withModel(KvModel.create())
                .withThreads(1)
                .withTimeout(Duration.ofSeconds(2))
                .withStopAtFirstInvalid(false));
    Map<Object, KeyResult> keys = byKey(r);
    assertThat(keys.get("a").verdict()).isEqualTo(Verdict.INVALID);
    assertThat(keys.get("v").verdict()).isEqualTo(Verdict.VALID);
    assertThat(keys.get("h").verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(keys.get("h").reason()).contains("budget ran out").contains("steps");
    assertThat(keys.get("h").steps()).isPositive();
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
  }

  @Test
  void everyKeyIsDecidedWhenAsked() {
    Histories h = Histories.of();
    for (String k : new String[] {"x", "y", "z"}) {
      h.invoke(0, "write", k, 1L).ok(0, "write", k, 1L);
      h.invoke(0, "read", k, null).ok(0, "read", k, 2L);
    }
    CheckOptions options = CheckOptions.defaults().withModel(KvModel.create()).withThreads(1);
    CheckResult stopping = Checker.check(h.build(), options);
    assertThat(stopping.keys().stream().filter(k -> k.verdict() == Verdict.INVALID)).hasSize(1);
    CheckResult all = Checker.check(h.build(), options.withStopAtFirstInvalid(false));
    assertThat(all.keys()).allMatch(k -> k.verdict() == Verdict.INVALID && k.decided());
  }
}
