package dev.faultline.histories;

/**
 * A history whose ops do not fit together: a process that invokes twice without completing, a
 * completion with no open invocation, or a completion whose function differs from its invocation's.
 * The message reads {@code expected X, found Y}, so a reader can prefix it with the file position.
 */
public class InvalidHistoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String expected;
  private final String found;

  public InvalidHistoryException(String message) {
    super(message);
    this.expected = null;
    this.found = null;
  }

  /** A misfit stated as what the history should have held and what it held instead. */
  public InvalidHistoryException(String expected, String found) {
    super("expected " + expected + ", found " + found);
    this.expected = expected;
    this.found = found;
  }

  /** What the history should have held here, or null for a free-form message. */
  public String expected() {
    return expected;
  }

  /** What it held instead, or null for a free-form message. */
  public String found() {
    return found;
  }
}
