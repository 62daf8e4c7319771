package dev.faultline.histories;

/**
 * An EDN keyword value such as {@code :timed-out}, kept distinct from strings so EDN round-trips.
 * JSON Lines has no keywords and writes one as the string {@code ":name"}.
 */
public record Keyword(String name) {
  @Override
  public String toString() {
    return ":" + name;
  }
}
