package dev.faultline.testbed.run;

import dev.faultline.checker.Verdict;
import dev.faultline.testbed.ExitCode;
import java.util.Collection;
import java.util.Locale;

/**
 * How a test run ended, and its exit code: valid 0, invalid 1, unknown 2, failed 3 (the run itself
 * could not be carried out or checked).
 */
public enum RunVerdict {
  VALID(ExitCode.VALID, 0),
  INVALID(ExitCode.INVALID, 3),
  UNKNOWN(ExitCode.UNKNOWN, 1),
  FAILED(ExitCode.ERROR, 2);

  private final int exitCode;
  private final int severity;

  RunVerdict(int exitCode, int severity) {
    this.exitCode = exitCode;
    this.severity = severity;
  }

  public int exitCode() {
    return exitCode;
  }

  /** The lower-case name written to results.json. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunVerdict of(Verdict verdict) {
    return switch (verdict) {
      case VALID -> VALID;
      case INVALID -> INVALID;
      case UNKNOWN -> UNKNOWN;
    };
  }

  /**
   * The worst of several runs: a found violation outranks a failed run, which outranks an undecided
   * one; all valid is valid. An empty collection is valid.
   */
  public static RunVerdict worst(Collection<RunVerdict> verdicts) {
    RunVerdict worst = VALID;
    for (RunVerdict v : verdicts) {
      if (v.severity > worst.severity) {
        worst = v;
      }
    }
    return worst;
  }

  /** Combines the checker's verdict with a workload analysis's ({@code valid} or not). */
  public RunVerdict and(RunVerdict other) {
    return worst(java.util.List.of(this, other));
  }
}
