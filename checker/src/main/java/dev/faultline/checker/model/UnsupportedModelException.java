package dev.faultline.checker.model;

/**
 * A history asks for a model the checker does not have, or a call the chosen model cannot express.
 * The checker reports this as an error rather than guessing a verdict.
 */
public class UnsupportedModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnsupportedModelException(String message) {
    super(message);
  }
}
