package dev.faultline.checker.model;

import dev.faultline.histories.Call;

/**
 * A sequential specification: the states an object can be in and how each operation moves it. The
 * checker asks whether a concurrent history could have come from some sequential order of its ops
 * that this model accepts.
 *
 * <p>States must be immutable and non-null, with {@code equals} and {@code hashCode} that agree:
 * the search memoises (linearized ops, state) pairs. Inputs are what {@link #input} makes of one
 * call, computed once before the search so that {@link #step} does no parsing. One instance may be
 * used from several threads, so per-partition caches belong in the instance {@link #forPartition}
 * returns.
 *
 * @param <S> the state type
 * @param <I> the per-call input type
 */
public interface Model<S, I> {

  /** The name used on the command line and in results, e.g. {@code cas-register}. */
  String name();

  /**
   * The model to use for one partition (one key, or the whole history). Models that intern values
   * return a fresh instance here; stateless models return themselves.
   */
  default Model<S, I> forPartition() {
    return this;
  }

  /** The state before any op. */
  S initialState();

  /**
   * What a call asks of the object, or null when the call constrains nothing and may be dropped (an
   * indeterminate read). The call's outcome is OK, INFO or PENDING (failed calls never reach the
   * model); for an indeterminate call only the invocation's value is known.
   *
   * @throws UnsupportedModelException when the call's function is not part of this model
   */
  I input(Call call);

  /** The state after the input takes effect, or null when it cannot take effect in this state. */
  S step(S state, I input);

  /**
   * True when the input never changes the state, in any state (a read). The search places such an
   * op as soon as it is legal and tries no alternative to it there, which is only sound when the
   * answer is right; the default, false, is always safe.
   */
  default boolean isReadOnly(I input) {
    return false;
  }

  /**
   * False when no sequence of ops can take {@code state} to one where the read-only {@code read} is
   * legal, so that a search holding an unplaced {@code read} may give this state up at once. Only
   * asked for read-only inputs. The default, true, is always safe; a model answers false only where
   * it knows, e.g. a key only ever appended to whose value is no longer a prefix of what the read
   * returned.
   */
  default boolean canStillBeRead(S state, I read) {
    return true;
  }

  /**
   * Why {@link #step} refuses the input in this state, in words, e.g. {@code read 3, but the
   * register holds 4}. Only asked when building a counterexample.
   */
  String whyIllegal(S state, I input);

  /** The input in words, e.g. {@code write 3} or {@code cas 1→2}. */
  String describeInput(I input);

  /** The state in words, e.g. {@code 4} or {@code {x "a", y absent}}. */
  String describeState(S state);

  /**
   * The state in words, cut to about {@code maxChars} characters (an ellipsis marks the cut). A
   * model whose states can be long builds only what is shown: explaining a valid history describes
   * the state after every op.
   */
  default String describeState(S state, int maxChars) {
    String s = describeState(state);
    return s.length() <= maxChars ? s : s.substring(0, maxChars) + "…";
  }

  /**
   * True when the model describes one object per key, so that a history with several keys must be
   * split by key; false when a state spans keys (kv), so that the whole history may be checked as
   * one partition.
   */
  default boolean perKey() {
    return true;
  }
}
