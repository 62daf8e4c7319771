package dev.faultline.api.client;

/** The operation certainly did not take effect (bad input, no leader, or never sent). */
public final class KvFailedException extends KvException {
  public KvFailedException(String message, String node) {
    super(message, node);
  }
}
