package dev.faultline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailureKindTest {

  @Test
  void eachBackendFailureHasItsKindThroughCompletionWrappers() {
    assertThat(FailureKind.of(new CompletionException(new BackendFailure.NotLeader("n1", null))))
        .isEqualTo(FailureKind.NOT_LEADER);
    assertThat(FailureKind.of(new ExecutionException(new BackendFailure.Unavailable("x"))))
        .isEqualTo(FailureKind.UNAVAILABLE);
    assertThat(FailureKind.of(new BackendFailure.Rejected("x"))).isEqualTo(FailureKind.REJECTED);
    assertThat(FailureKind.of(new BackendFailure.OutcomeUnknown("x")))
        .isEqualTo(FailureKind.OUTCOME_UNKNOWN);
    assertThat(FailureKind.of(new CompletionException(new TimeoutException())))
        .isEqualTo(FailureKind.TIMED_OUT);
    assertThat(FailureKind.of(new IllegalStateException("bug"))).isEqualTo(FailureKind.INTERNAL);
  }

  @Test
  void onlyAWriteWhoseFateIsOpenIsUnknown() {
    for (FailureKind k : FailureKind.values()) {
      assertThat(k.definite(true)).as("read, %s", k).isEqualTo(k != FailureKind.OUTCOME_UNKNOWN);
    }
    assertThat(FailureKind.NOT_LEADER.definite(false)).isTrue();
    assertThat(FailureKind.UNAVAILABLE.definite(false)).isTrue();
    assertThat(FailureKind.REJECTED.definite(false)).isTrue();
    assertThat(FailureKind.OUTCOME_UNKNOWN.definite(false)).isFalse();
    assertThat(FailureKind.TIMED_OUT.definite(false)).isFalse();
    assertThat(FailureKind.INTERNAL.definite(false)).isFalse();
  }

  @Test
  void theClassificationAgreesWithWhatTheBackendDeclares() {
    BackendFailure[] failures = {
      new BackendFailure.NotLeader("n1", null),
      new BackendFailure.Unavailable("x"),
      new BackendFailure.Rejected("x"),
      new BackendFailure.OutcomeUnknown("x")
    };
    for (BackendFailure f : failures) {
      assertThat(FailureKind.of(f).definite(false)).as(f.toString()).isEqualTo(f.definite());
    }
  }
}
