package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.checker.model.KvModel;
import dev.faultline.checker.model.Models;
import dev.faultline.checker.model.RegisterModel;
import dev.faultline.checker.model.SetModel;
import dev.faultline.checker.model.UnsupportedModelException;
import dev.faultline.histories.History;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jepsen's semantics of ok, fail and info ops, and the models' rules, on tiny histories. */
class SemanticsTest {

  private static Verdict check(History h, dev.faultline.checker.model.Model<?, ?> m) {
    return Checker.check(h, CheckOptions.defaults().withModel(m).withThreads(1)).verdict();
  }

  @Test
  void okWriteMustTakeEffectBeforeItCompletes() {
    History h =
        Histories.of()
            .invoke(0, "write", 1L)
            .ok(0, "write", 1L)
            .invoke(1, "read", null)
            .ok(1, "read", null)
            .build();
    assertThat(check(h, RegisterModel.register())).isEqualTo(Verdict.INVALID);
  }

  @Test
  void concurrentReadMaySeeTheOldOrTheNewValue() {
    History old =
        Histories.of()
            .invoke(0, "write", 1L)
            .invoke(1, "read", null)
            .ok(1, "read", null)
            .ok(0, "write", 1L)
            .build();
    History fresh =
        Histories.of()
            .invoke(0, "write", 1L)
            .invoke(1, "read", null)
            .ok(1, "read", 1L)
            .ok(0, "write", 1L)
            .build();
    assertThat(check(old, RegisterModel.register())).isEqualTo(Verdict.VALID);
    assertThat(check(fresh, RegisterModel.register())).isEqualTo(Verdict.VALID);
  }

  @Test
  void readCannotSeeAWriteInvokedAfterItCompleted() {
    History h =
        Histories.of()
            .invoke(1, "read", null)
            .ok(1, "read", 1L)
            .invoke(0, "write", 1L)
            .ok(0, "write", 1L)
            .build();
    assertThat(check(h, RegisterModel.register())).isEqualTo(Verdict.INVALID);
  }

  @Test
  void failedWriteNeverTookEffect() {
    History h =
        Histories.of()
            .invoke(0, "write", 1L)
            .fail(0, "write", 1L)
            .invoke(1, "read", null)
            .ok(1, "read", 1L)
            .build();
    assertThat(check(h, RegisterModel.register())).isEqualTo(Verdict.INVALID);
  }

  @Test
  void infoWriteMayTakeEffectLongAfterItsCompletion() {
    History h =
        Histories.of()
            .invoke(0, "write", 1L)
            .info(0, "write", null)
            .invoke(1, "read", null)
            .ok(1, "read", null)
            .invoke(1, "read", null)
            .ok(1, "read", 1L)
            .build();
    assertThat(check(h, RegisterModel.register())).isEqualTo(Verdict.VALID);
  }

  @Test
  void infoWriteMayNeverTakeEffect() {
    History h =
        Histories.of()
            .invoke(0, "write", 1L)
            .info(0, "write", null)
            .invoke(1, "read", null)
            .ok(1, "read", null)
            .build();
    assertThat(check(h, RegisterModel.register())).isEqualTo(Verdict.VALID);
  }

  @Test
  void infoWriteCannotTakeEffectBeforeItsInvocation() {
    History h =
        Histories.of()
            .invoke(1, "read", null)
            .ok(1, "read", 1L)
            .invoke(0, "write", 1L)
            .info(0, "write", null)
            .build();
    assertThat(check(h, RegisterModel.register())).isEqualTo(Verdict.INVALID);
  }

  @Test
  void pendingCasWritesItsInvocationValue() {
    History h =
        Histories.of()
            .invoke(0, "write", 1L)
            .ok(0, "write", 1L)
            .invoke(2, "cas", List.of(1L, 2L))
            .invoke(1, "read", null)
            .ok(1, "read", 2L)
            .build();
    assertThat(check(h, RegisterModel.casRegister())).isEqualTo(Verdict.VALID);
  }

  @Test
  void infoReadConstrainsNothing() {
    History h = Histories.of().invoke(0, "read", null).info(0, "read", 7L).build();
    assertThat(check(h, RegisterModel.register())).isEqualTo(Verdict.VALID);
  }

  @Test
  void casRegisterStartsAbsentAndReadOfNullMatchesIt() {
    History h =
        Histories.of()
            .invoke(0, "read", null)
            .ok(0, "read", null)
            .invoke(0, "cas", java.util.Arrays.asList(null, 1L))
            .ok(0, "cas", java.util.Arrays.asList(null, 1L))
            .invoke(0, "read", null)
            .ok(0, "read", 1L)
            .build();
    assertThat(check(h, RegisterModel.casRegister())).isEqualTo(Verdict.VALID);
  }

  @Test
  void kvGetOfAMissingKeyReturnsEmptyAndAppendConcatenates() {
    History h =
        Histories.of()
            .invoke(0, "get", "k", null)
            .ok(0, "get", "k", "")
            .invoke(0, "append", "k", "ab")
            .ok(0, "append", "k", "ab")
            .invoke(0, "append", "k", "c")
            .ok(0, "append", "k", "c")
            .invoke(0, "get", "k", null)
            .ok(0, "get", "k", "abc")
            .build();
    assertThat(check(h, KvModel.create())).isEqualTo(Verdict.VALID);
  }

  @Test
  void kvDeleteMakesTheKeyAbsent() {
    History h =
        Histories.of()
            .invoke(0, "write", "k", 1L)
            .ok(0, "write", "k", 1L)
            .invoke(0, "delete", "k", null)
            .ok(0, "delete", "k", null)
            .invoke(0, "read", "k", null)
            .ok(0, "read", "k", 1L)
            .build();
    assertThat(check(h, KvModel.create())).isEqualTo(Verdict.INVALID);
  }

  @Test
  void setReadMustReturnEveryAddedElement() {
    History good =
        Histories.of()
            .invoke(0, "add", 1L)
            .ok(0, "add", 1L)
            .invoke(0, "add", 2L)
            .ok(0, "add", 2L)
            .invoke(1, "read", null)
            .ok(1, "read", List.of(2L, 1L))
            .build();
    History lost =
        Histories.of()
            .invoke(0, "add", 1L)
            .ok(0, "add", 1L)
            .invoke(0, "add", 2L)
            .ok(0, "add", 2L)
            .invoke(1, "read", null)
            .ok(1, "read", List.of(2L))
            .build();
    assertThat(check(good, SetModel.create())).isEqualTo(Verdict.VALID);
    assertThat(check(lost, SetModel.create())).isEqualTo(Verdict.INVALID);
  }

  @Test
  void autoPicksTheModelFromTheFunctions() {
    History kv = Histories.of().invoke(0, "put", "k", "a").ok(0, "put", "k", "a").build();
    History cas =
        Histories.of().invoke(0, "cas", List.of(1L, 2L)).fail(0, "cas", List.of(1L, 2L)).build();
    History set = Histories.of().invoke(0, "add", 1L).ok(0, "add", 1L).build();
    History reg = Histories.of().invoke(0, "write", 1L).ok(0, "write", 1L).build();
    assertThat(Models.choose(kv).model().name()).isEqualTo("kv");
    assertThat(Models.choose(cas).model().name()).isEqualTo("cas-register");
    assertThat(Models.choose(set).model().name()).isEqualTo("set");
    assertThat(Models.choose(reg).model().name()).isEqualTo("register");
    assertThat(Checker.check(reg, CheckOptions.defaults()).modelReason()).startsWith("auto:");
  }

  @Test
  void unknownFunctionIsAClearModelNotSupportedError() {
    History txn = Histories.of().invoke(0, "txn", List.of()).ok(0, "txn", List.of()).build();
    assertThatThrownBy(() -> Checker.check(txn, CheckOptions.defaults()))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("model not supported");
    assertThatThrownBy(
            () -> Checker.check(txn, CheckOptions.defaults().withModel(RegisterModel.register())))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("op #0")
        .hasMessageContaining("'txn'");
  }

  @Test
  void perKeyModelRefusesToCheckSeveralKeysAsOne() {
    History h =
        Histories.of()
            .invoke(0, "write", "a", 1L)
            .ok(0, "write", "a", 1L)
            .invoke(0, "write", "b", 1L)
            .ok(0, "write", "b", 1L)
            .build();
    assertThatThrownBy(
            () ->
                Checker.check(
                    h,
                    CheckOptions.defaults().withModel(RegisterModel.register()).withSplit(false)))
        .isInstanceOf(UnsupportedModelException.class)
        .hasMessageContaining("--model kv");
  }

  @Test
  void malformedCasValueNamesTheOp() {
    History h = Histories.of().invoke(0, "cas", 3L).ok(0, "cas", 3L).build();
    assertThatThrownBy(
            () -> Checker.check(h, CheckOptions.defaults().withModel(RegisterModel.casRegister())))
        .hasMessageContaining("op #0")
        .hasMessageContaining("[expected new]");
  }
}
