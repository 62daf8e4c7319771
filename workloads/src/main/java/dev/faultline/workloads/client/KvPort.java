package dev.faultline.workloads.client;

/**
 * The store's primitive operations over string values, as one transport (HTTP, gRPC, an in-memory
 * fake) offers them. Completion values are raw: the stored string, or null when the key is absent.
 *
 * <p>A compare-and-set whose expected value differs completes as {@code fail} with error {@link
 * #CAS_MISMATCH}, so callers can tell a lost race from any other definite failure.
 */
public interface KvPort extends AutoCloseable {

  /** The error of a compare-and-set that did not swap because the current value differed. */
  String CAS_MISMATCH = "cas-mismatch";

  Completion get(String key);

  Completion put(String key, String value);

  /** Removes {@code key}; a delete of an absent key succeeds and changes nothing. */
  Completion delete(String key);

  /**
   * Sets {@code key} to {@code value} if it currently holds {@code expected}.
   *
   * @param expected the expected current value, or null to require that the key is absent
   */
  Completion cas(String key, String expected, String value);

  @Override
  default void close() {}
}
