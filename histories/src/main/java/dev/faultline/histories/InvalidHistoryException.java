package dev.faultline.histories;

/**
 * A history whose ops do not fit together: a process that invokes twice without completing, a
 * completion with no open invocation, or a completion whose function differs from its invocation's.
 */
public class InvalidHistoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidHistoryException(String message) {
    super(message);
  }
}
