package dev.faultline.checker.model;

/**
 * The value of a register or key that was never written (or was deleted). A distinct object so that
 * a state is never null: null is how {@link Model#step} says "illegal".
 */
public enum Absent {
  VALUE;

  /** The model-state form of a history value: null (absent) becomes {@link #VALUE}. */
  public static Object wrap(Object historyValue) {
    return historyValue == null ? VALUE : historyValue;
  }

  @Override
  public String toString() {
    return "absent";
  }
}
