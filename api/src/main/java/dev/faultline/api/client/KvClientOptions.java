package dev.faultline.api.client;

import dev.faultline.api.security.TlsCredentials;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link KvClient} reaches the cluster and how hard it tries.
 *
 * @param endpoints nodes to start from, {@code host:port} (HTTP may also be {@code
 *     http://host:port})
 * @param callTimeout the longest wait for one attempt's answer
 * @param totalTimeout the longest a call takes, retries and redirects included
 * @param maxAttempts the most attempts per call (redirects count)
 * @param retryBackoff the wait before retrying after "no leader" or an unreachable node
 * @param sessions whether writes carry a session (client id, sequence) so they may be retried after
 *     an unknown outcome and still apply exactly once
 * @param token a bearer token sent with every request ({@code Authorization: Bearer ...}); null
 *     sends none
 * @param tls the CA to trust (and the client certificate to show, if any) for HTTPS and gRPC over
 *     TLS; null talks plaintext
 */
public record KvClientOptions(
    List<String> endpoints,
    Duration callTimeout,
    Duration totalTimeout,
    int maxAttempts,
    Duration retryBackoff,
    boolean sessions,
    String token,
    TlsCredentials tls) {

  public KvClientOptions {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one endpoint (host:port)");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
  }

  /** Every option but the token's value, which must not end up in a log. */
  @Override
  public String toString() {
    return "KvClientOptions[endpoints="
        + endpoints
        + ", callTimeout="
        + callTimeout
        + ", totalTimeout="
        + totalTimeout
        + ", maxAttempts="
        + maxAttempts
        + ", retryBackoff="
        + retryBackoff
        + ", sessions="
        + sessions
        + ", token="
        + (token == null ? "none" : "(set)")
        + ", tls="
        + (tls == null ? "off" : "on")
        + "]";
  }

  /** Plaintext, without a token. */
  public KvClientOptions(
      List<String> endpoints,
      Duration callTimeout,
      Duration totalTimeout,
      int maxAttempts,
      Duration retryBackoff,
      boolean sessions) {
    this(endpoints, callTimeout, totalTimeout, maxAttempts, retryBackoff, sessions, null, null);
  }

  /** Defaults: 2 s per attempt, 10 s per call, 10 attempts, 100 ms backoff, sessions on. */
  public static KvClientOptions of(List<String> endpoints) {
    return new KvClientOptions(
        endpoints,
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        10,
        Duration.ofMillis(100),
        true,
        null,
        null);
  }

  public KvClientOptions withCallTimeout(Duration timeout) {
    return new KvClientOptions(
        endpoints, timeout, totalTimeout, maxAttempts, retryBackoff, sessions, token, tls);
  }

  public KvClientOptions withTotalTimeout(Duration timeout) {
    return new KvClientOptions(
        endpoints, callTimeout, timeout, maxAttempts, retryBackoff, sessions, token, tls);
  }

  public KvClientOptions withSessions(boolean on) {
    return new KvClientOptions(
        endpoints, callTimeout, totalTimeout, maxAttempts, retryBackoff, on, token, tls);
  }

  public KvClientOptions withMaxAttempts(int attempts) {
    return new KvClientOptions(
        endpoints, callTimeout, totalTimeout, attempts, retryBackoff, sessions, token, tls);
  }

  /** The same options sending bearer token {@code t} with every request. */
  public KvClientOptions withToken(String t) {
    return new KvClientOptions(
        endpoints, callTimeout, totalTimeout, maxAttempts, retryBackoff, sessions, t, tls);
  }

  /** The same options over TLS with {@code t} (endpoints without a scheme become https). */
  public KvClientOptions withTls(TlsCredentials t) {
    return new KvClientOptions(
        endpoints, callTimeout, totalTimeout, maxAttempts, retryBackoff, sessions, token, t);
  }
}
