package dev.faultline.api;

/**
 * A client session for exactly-once writes: a retried write carrying the same {@code (clientId,
 * seq)} is applied at most once. {@code clientId == 0} means no session. Both numbers are unsigned
 * 64-bit values held in a {@code long}.
 */
public record Session(long clientId, long seq) {

  /** The absent session: the write is applied each time it is received. */
  public static final Session NONE = new Session(0, 0);

  /** Whether this is a real session. */
  public boolean present() {
    return clientId != 0;
  }

  @Override
  public String toString() {
    return present()
        ? "session " + Long.toUnsignedString(clientId) + "/" + Long.toUnsignedString(seq)
        : "no session";
  }
}
