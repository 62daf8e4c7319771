package dev.faultline.api;

/**
 * The result of a compare-and-set: {@code swapped}, or the value found instead ({@code current},
 * {@code null} when the key was absent). {@code current} is always {@code null} when swapped.
 */
public record CasOutcome(boolean swapped, byte[] current) {

  public static final CasOutcome SWAPPED = new CasOutcome(true, null);

  public CasOutcome {
    if (swapped && current != null) {
      throw new IllegalArgumentException("a swapped CAS carries no current value");
    }
  }

  public static CasOutcome mismatch(byte[] current) {
    return new CasOutcome(false, current);
  }
}
