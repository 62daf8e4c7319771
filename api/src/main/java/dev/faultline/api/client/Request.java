package dev.faultline.api.client;

import dev.faultline.api.Session;

/** One logical client operation, the same across its retries (a write keeps its session). */
record Request(Kind kind, byte[] key, byte[] value, byte[] expected, Session session) {

  enum Kind {
    PUT,
    GET,
    DELETE,
    CAS;

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  boolean read() {
    return kind == Kind.GET;
  }

  /** Whether repeating this request after an unknown outcome cannot apply it twice. */
  boolean idempotentRetry() {
    return read() || session.present();
  }
}
