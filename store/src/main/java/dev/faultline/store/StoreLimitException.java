package dev.faultline.store;

/**
 * A key or value outside the configured {@link StoreLimits}; the message says which and by how
 * much.
 */
public final class StoreLimitException extends IllegalArgumentException {
  public StoreLimitException(String message) {
    super(message);
  }
}
