package dev.faultline.api.security;

import dev.faultline.api.config.NodeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;

/**
 * What the client-facing edges (HTTP and gRPC) enforce besides the key-value limits: TLS and the
 * client-certificate policy, bearer-token authentication, the node-wide in-flight bound, the
 * largest request header and the most concurrent calls on one gRPC connection.
 *
 * @param tls the node's TLS credentials; null serves plaintext
 * @param auth the token check; null lets every request through
 */
public record EdgeSecurity(
    TlsCredentials tls,
    ClientAuth clientAuth,
    Authenticator auth,
    Access access,
    InflightLimit inflight,
    int maxRequestHeaderBytes,
    int maxInflightPerConnection) {

  /** Plaintext, no tokens, generous bounds: for tests and embedding on loopback. */
  public static EdgeSecurity open() {
    MeterRegistry unused = new SimpleMeterRegistry();
    return new EdgeSecurity(
        null,
        ClientAuth.NONE,
        null,
        new Access(Set.of()),
        new InflightLimit(Integer.MAX_VALUE / 2, unused),
        8192,
        1024);
  }

  /**
   * The edges' security for {@code config}: {@code tls} as loaded by the node (null when TLS is
   * off), the token file read now, meters in {@code registry}.
   */
  public static EdgeSecurity from(NodeConfig config, TlsCredentials tls, MeterRegistry registry) {
    Authenticator auth =
        config.authTokens() == null
            ? null
            : new Authenticator(Tokens.load(config.authTokens()), registry);
    return new EdgeSecurity(
        tls,
        ClientAuth.parse(config.tlsClientAuth()),
        auth,
        new Access(Set.copyOf(config.authOpenEndpoints())),
        new InflightLimit(config.maxInflightRequests(), registry),
        config.maxRequestHeaderBytes(),
        config.maxInflightPerConnection());
  }

  public EdgeSecurity withTls(TlsCredentials t, ClientAuth c) {
    return new EdgeSecurity(
        t, c, auth, access, inflight, maxRequestHeaderBytes, maxInflightPerConnection);
  }

  public EdgeSecurity withAuth(Authenticator a, Access x) {
    return new EdgeSecurity(
        tls, clientAuth, a, x, inflight, maxRequestHeaderBytes, maxInflightPerConnection);
  }

  public EdgeSecurity withLimits(InflightLimit i, int headerBytes, int perConnection) {
    return new EdgeSecurity(tls, clientAuth, auth, access, i, headerBytes, perConnection);
  }

  /** The scheme clients use: https with TLS, http without. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }
}
