package dev.faultline.api.security;

/** Whether the client-facing edges ask clients for a certificate signed by the cluster's CA. */
public enum ClientAuth {
  /** No client certificate is asked for; bearer tokens authenticate. */
  NONE,
  /** A client certificate is asked for and checked when given, but not required. */
  OPTIONAL,
  /** Only clients with a certificate signed by the CA complete the handshake. */
  REQUIRE;

  /** From the option's word: none, optional, require. */
  public static ClientAuth parse(String word) {
    return valueOf(word.toUpperCase(java.util.Locale.ROOT));
  }
}
