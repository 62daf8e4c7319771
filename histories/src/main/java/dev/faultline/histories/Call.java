package dev.faultline.histories;

/**
 * One client operation: its invocation paired with its completion, or with none when the history
 * ended while it was open.
 *
 * @param invoke the invocation
 * @param completion the completion ({@code ok}, {@code fail} or {@code info}), or null when pending
 */
public record Call(Op invoke, Op completion) {

  /** How a call ended, as far as the history knows. */
  public enum Outcome {
    /** Took effect between invocation and completion. */
    OK,
    /** Certainly did not take effect. */
    FAIL,
    /** May or may not have taken effect, at any time after the invocation. */
    INFO,
    /** No completion was recorded: as unknown as {@link #INFO}. */
    PENDING
  }

  public Outcome outcome() {
    if (completion == null) {
      return Outcome.PENDING;
    }
    return switch (completion.type()) {
      case OK -> Outcome.OK;
      case FAIL -> Outcome.FAIL;
      case INFO -> Outcome.INFO;
      case INVOKE -> throw new IllegalStateException("a completion cannot be an invocation");
    };
  }

  /** True when the outcome is unknown: an {@code info} completion or none at all. */
  public boolean isIndeterminate() {
    Outcome o = outcome();
    return o == Outcome.INFO || o == Outcome.PENDING;
  }

  public long process() {
    return invoke.process();
  }

  public String f() {
    return invoke.f();
  }

  public Object key() {
    return invoke.key();
  }
}
