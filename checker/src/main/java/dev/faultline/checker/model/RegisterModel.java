package dev.faultline.checker.model;

import dev.faultline.histories.Call;
import dev.faultline.histories.Values;
import java.util.List;

/**
 * A single register, as Knossos and Jepsen define it: {@code read} returns the current value,
 * {@code write v} sets it, and (for {@code cas-register}) {@code cas [old new]} sets it to new only
 * when it holds old. The register starts absent; a read of {@code null} matches absent, and a cas
 * whose old value is {@code null} expects absent. State: the value, or {@link Absent#VALUE}.
 */
public final class RegisterModel implements Model<Object, RegisterModel.Input> {

  /** What one call does to the register; values are wrapped with {@link Absent#wrap}. */
  public record Input(Kind kind, Object value, Object newValue) {}

  /** The register's operations. */
  public enum Kind {
    READ,
    WRITE,
    CAS
  }

  private final boolean cas;

  private RegisterModel(boolean cas) {
    this.cas = cas;
  }

  /** A read/write register. */
  public static RegisterModel register() {
    return new RegisterModel(false);
  }

  /** A read/write/compare-and-set register. */
  public static RegisterModel casRegister() {
    return new RegisterModel(true);
  }

  @Override
  public String name() {
    return cas ? "cas-register" : "register";
  }

  @Override
  public Object initialState() {
    return Absent.VALUE;
  }

  @Override
  public Input input(Call call) {
    String f = call.f();
    switch (f) {
      case "read":
        if (call.isIndeterminate()) {
          return null;
        }
        return new Input(Kind.READ, Absent.wrap(call.completion().value()), null);
      case "write":
        return new Input(Kind.WRITE, Absent.wrap(call.invoke().value()), null);
      case "cas":
        if (cas) {
          List<?> pair = CallValues.pair(call);
          return new Input(Kind.CAS, Absent.wrap(pair.get(0)), Absent.wrap(pair.get(1)));
        }
        break;
      default:
        break;
    }
    throw new UnsupportedModelException(
        "op #"
            + call.invoke().index()
            + ": the "
            + name()
            + " model has no '"
            + f
            + "' (it knows read, write"
            + (cas ? ", cas" : "")
            + "); choose another --model");
  }

  @Override
  public Object step(Object state, Input in) {
    return switch (in.kind) {
      case READ -> state.equals(in.value) ? state : null;
      case WRITE -> in.value;
      case CAS -> state.equals(in.value) ? in.newValue : null;
    };
  }

  @Override
  public boolean isReadOnly(Input in) {
    return in.kind == Kind.READ;
  }

  @Override
  public String whyIllegal(Object state, Input in) {
    return switch (in.kind) {
      case READ -> "read " + show(in.value) + ", but the register holds " + show(state);
      case WRITE -> "a write is always possible";
      case CAS -> "cas expects " + show(in.value) + ", but the register holds " + show(state);
    };
  }

  @Override
  public String describeInput(Input in) {
    return switch (in.kind) {
      case READ -> "read " + show(in.value);
      case WRITE -> "write " + show(in.value);
      case CAS -> "cas " + show(in.value) + "→" + show(in.newValue);
    };
  }

  @Override
  public String describeState(Object state) {
    return show(state);
  }

  static String show(Object v) {
    return v == Absent.VALUE ? "absent" : Values.show(v);
  }
}
