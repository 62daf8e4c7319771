package dev.faultline.testbed;

/**
 * The exit codes every subcommand uses, so a CI pipeline can tell a violation from a broken run.
 */
public final class ExitCode {
  private ExitCode() {}

  /** The history is valid, or the command succeeded. */
  public static final int VALID = 0;

  /** A consistency violation was found. */
  public static final int INVALID = 1;

  /** No verdict could be reached (time or memory budget spent). */
  public static final int UNKNOWN = 2;

  /** Bad input, bad usage, or the run itself failed. */
  public static final int ERROR = 3;
}
