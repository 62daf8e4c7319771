package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.checker.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunVerdictTest {
  @Test
  void exitCodesAreValidZeroInvalidOneUnknownTwoFailedThree() {
    assertThat(RunVerdict.VALID.exitCode()).isZero();
    assertThat(RunVerdict.INVALID.exitCode()).isEqualTo(1);
    assertThat(RunVerdict.UNKNOWN.exitCode()).isEqualTo(2);
    assertThat(RunVerdict.FAILED.exitCode()).isEqualTo(3);
    assertThat(RunVerdict.of(Verdict.INVALID)).isEqualTo(RunVerdict.INVALID);
    assertThat(RunVerdict.of(Verdict.UNKNOWN)).isEqualTo(RunVerdict.UNKNOWN);
  }

  @Test
  void theWorstOfSeveralRunsPutsAViolationAboveAFailureAboveUnknown() {
    assertThat(RunVerdict.worst(List.of())).isEqualTo(RunVerdict.VALID);
    assertThat(RunVerdict.worst(List.of(RunVerdict.VALID, RunVerdict.UNKNOWN)))
        .isEqualTo(RunVerdict.UNKNOWN);
    assertThat(RunVerdict.worst(List.of(RunVerdict.UNKNOWN, RunVerdict.FAILED, RunVerdict.VALID)))
        .isEqualTo(RunVerdict.FAILED);
    assertThat(RunVerdict.worst(List.of(RunVerdict.FAILED, RunVerdict.INVALID)))
        .isEqualTo(RunVerdict.INVALID);
    assertThat(RunVerdict.VALID.and(RunVerdict.INVALID)).isEqualTo(RunVerdict.INVALID);
  }
}
