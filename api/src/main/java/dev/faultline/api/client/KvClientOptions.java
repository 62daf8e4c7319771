package dev.faultline.api.client;

import dev.faultline.api.security.TlsCredentials;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link KvClient} reaches the cluster and how hard it tries: where to start, how to retry
 * ({@link Retry}), whether writes carry a session, and how to authenticate ({@link Access}).
 *
 * @param endpoints nodes to start from, {@code host:port} (HTTP may also be {@code
 *     http://host:port})
 * @param retry timeouts, attempts and backoff
 * @param sessions whether writes carry a session (client id, sequence) so they may be retried after
 *     an unknown outcome and still apply exactly once
 * @param access the token and TLS credentials, or {@link Access#NONE}
 */
public record KvClientOptions(
    List<String> endpoints, Retry retry, boolean sessions, Access access) {

  public KvClientOptions {
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one endpoint (host:port)");
    }
  }

  /**
   * How hard one call tries.
   *
   * @param callTimeout the longest wait for one attempt's answer
   * @param totalTimeout the longest a call takes, retries and redirects included
   * @param maxAttempts the most attempts per call (redirects count)
   * @param backoff the wait before retrying after "no leader" or an unreachable node
   */
  public record Retry(
      Duration callTimeout, Duration totalTimeout, int maxAttempts, Duration backoff) {
    /** 2 s per attempt, 10 s per call, 10 attempts, 100 ms backoff. */
    public static final Retry DEFAULT =
        new Retry(Duration.ofSeconds(2), Duration.ofSeconds(10), 10, Duration.ofMillis(100));

    public Retry {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
    }
  }

  /**
   * How the client proves itself and whom it trusts.
   *
   * @param token a bearer token sent with every request ({@code Authorization: Bearer ...}); null
   *     sends none
   * @param tls the CA to trust (and the client certificate to show, if any) for HTTPS and gRPC over
   *     TLS; null talks plaintext
   */
  public record Access(String token, TlsCredentials tls) {
    /** Plaintext, without a token. */
    public static final Access NONE = new Access(null, null);

    /** Every field but the token's value, which must not end up in a log. */
    @Override
    public String toString() {
      return "Access[token="
          + (token == null ? "none" : "(set)")
          + ", tls="
          + (tls == null ? "off" : "on")
          + "]";
    }
  }

  /** Plaintext, without a token. */
  public KvClientOptions(List<String> endpoints, Retry retry, boolean sessions) {
    this(endpoints, retry, sessions, Access.NONE);
  }

  /** Defaults: {@link Retry#DEFAULT}, sessions on, plaintext. */
  public static KvClientOptions of(List<String> endpoints) {
    return new KvClientOptions(endpoints, Retry.DEFAULT, true, Access.NONE);
  }

  public Duration callTimeout() {
    return retry.callTimeout();
  }

  public Duration totalTimeout() {
    return retry.totalTimeout();
  }

  public int maxAttempts() {
    return retry.maxAttempts();
  }

  public Duration retryBackoff() {
    return retry.backoff();
  }

  public String token() {
    return access.token();
  }

  public TlsCredentials tls() {
    return access.tls();
  }

  public KvClientOptions withCallTimeout(Duration timeout) {
    return withRetry(new Retry(timeout, totalTimeout(), maxAttempts(), retryBackoff()));
  }

  public KvClientOptions withTotalTimeout(Duration timeout) {
    return withRetry(new Retry(callTimeout(), timeout, maxAttempts(), retryBackoff()));
  }

  public KvClientOptions withMaxAttempts(int attempts) {
    return withRetry(new Retry(callTimeout(), totalTimeout(), attempts, retryBackoff()));
  }

  public KvClientOptions withRetry(Retry r) {
    return new KvClientOptions(endpoints, r, sessions, access);
  }

  public KvClientOptions withSessions(boolean on) {
    return new KvClientOptions(endpoints, retry, on, access);
  }

  /** The same options sending bearer token {@code t} with every request. */
  public KvClientOptions withToken(String t) {
    return new KvClientOptions(endpoints, retry, sessions, new Access(t, access.tls()));
  }

  /** The same options over TLS with {@code t} (endpoints without a scheme become https). */
  public KvClientOptions withTls(TlsCredentials t) {
    return new KvClientOptions(endpoints, retry, sessions, new Access(access.token(), t));
  }
}
