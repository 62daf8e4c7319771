package dev.faultline.checker;

/** What a check concluded, for the whole history or for one key. */
public enum Verdict {
  /** Some order of the ops, consistent with real time, satisfies the model. */
  VALID,
  /** No such order exists. */
  INVALID,
  /** The search stopped before it could tell (time or memory budget, or stopped early). */
  UNKNOWN;

  /** The lower-case name used in results.json. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
