package dev.faultline.api.client;

/**
 * Why a {@link KvClient} call did not succeed: {@link KvFailedException} when the operation
 * certainly did not take effect, {@link KvUnknownOutcomeException} when it may have. A history
 * records the first as {@code fail} and the second as {@code info}.
 */
public abstract sealed class KvException extends RuntimeException
    permits KvFailedException, KvUnknownOutcomeException {

  private final String node;

  KvException(String message, String node) {
    super(message);
    this.node = node;
  }

  /** The endpoint that gave the last answer, or null when none answered. */
  public String node() {
    return node;
  }
}
