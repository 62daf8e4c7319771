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

  /** The longest detail a message carries; what a bad file holds can be megabytes long. */
  static final int MAX_DETAIL = 300;

  /** A failure whose detail already reads {@code expected X, found Y}. */
  public HistoryFormatException(String source, int line, int column, String detail) {
    super(source + ":" + line + ":" + column + ": " + cut(detail, MAX_DETAIL));
    this.source = source;
    this.line = line;
    this.column = column;
  }

  /** A failure stated as what the reader expected at the position and what it found. */
  public static HistoryFormatException expected(
      String source, int line, int column, String expected, String found) {
    return new HistoryFormatException(
        source, line, column, "expected " + cut(expected, 140) + ", found " + cut(found, 140));
  }

  /**
   * {@code text} cut to about {@code max} characters, saying how long it was, on one line; a
   * backquoted token keeps its closing quote.
   */
  static String cut(String text, int max) {
    String one = text.replace('\n', ' ').replace('\r', ' ');
    if (one.length() <= max) {
      return one;
    }
    String close = one.endsWith("`") ? "`" : "";
    return one.substring(0, max - 40) + "…" + close + " (" + one.length() + " characters)";
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
