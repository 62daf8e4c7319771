package dev.faultline.histories.format;

/**
 * A history file that cannot be read, located to the character: the message is one line, {@code
 * FILE:LINE:COLUMN: expected X, found Y}, with lines and columns counted from 1.
 */
public class HistoryFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final int column;

  /** A failure whose detail already reads {@code expected X, found Y}. */
  public HistoryFormatException(String source, int line, int column, String detail) {
    super(source + ":" + line + ":" + column + ": " + detail);
    this.source = source;
    this.line = line;
    this.column = column;
  }

  /** A failure stated as what the reader expected at the position and what it found. */
  public static HistoryFormatException expected(
      String source, int line, int column, String expected, String found) {
    return new HistoryFormatException(
        source, line, column, "expected " + expected + ", found " + found);
  }

  /** The file (or other source) the history came from, as named to the reader. */
  public String source() {
    return source;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
