package dev.faultline.api.client;

/** The operation may or may not have taken effect (timed out or lost after it was sent). */
public final class KvUnknownOutcomeException extends KvException {
  public KvUnknownOutcomeException(String message, String node) {
    super(message, node);
  }
}
