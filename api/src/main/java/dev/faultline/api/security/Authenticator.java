package dev.faultline.api.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a request's {@code Authorization: Bearer TOKEN} grants the {@link Role} a route
 * needs, and counts every refusal in {@code auth_failures_total{reason}}. The same decision serves
 * HTTP (401 / 403) and gRPC ({@code UNAUTHENTICATED} / {@code PERMISSION_DENIED}).
 */
public final class Authenticator {

  /** Why a request was refused; the word is the metric's {@code reason} label. */
  public enum Reason {
    /** No {@code Authorization} header, or not a bearer token: 401. */
    MISSING,
    /** A bearer token no entry of the token file matches: 401. */
    INVALID,
    /** A valid token whose role is too weak for the route: 403. */
    FORBIDDEN;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The outcome of one check. */
  public sealed interface Verdict {
    /** Allowed; {@code role} is null for an open endpoint reached without a token. */
    record Allowed(Role role) implements Verdict {}

    /** Refused, with a one-line message for the client. */
    record Denied(Reason reason, String message) implements Verdict {}
  }

  private static final String BEARER = "bearer ";

  private final Tokens tokens;
  private final MeterRegistry registry;

  public Authenticator(Tokens tokens, MeterRegistry registry) {
    this.tokens = tokens;
    this.registry = registry;
    for (Reason r : Reason.values()) {
      counter(r); // present at zero, so a dashboard sees the series before the first refusal
    }
  }

  /**
   * Checks {@code authorization} (the header's value, or null) against {@code needed}; null {@code
   * needed} means the endpoint is open and anything passes.
   */
  public Verdict check(String authorization, Role needed, String what) {
    if (needed == null) {
      return new Verdict.Allowed(null);
    }
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return deny(
          Reason.MISSING,
          what
              + " needs a bearer token: send 'Authorization: Bearer TOKEN' (see docs/SECURITY.md)");
    }
    Optional<Role> role = tokens.roleOf(authorization.substring(BEARER.length()).strip());
    if (role.isEmpty()) {
      return deny(
          Reason.INVALID, "the bearer token is not valid on this node: check the token file");
    }
    if (!role.get().allows(needed)) {
      return deny(
          Reason.FORBIDDEN,
          what
              + " needs role "
              + needed.word()
              + "; this token has role "
              + role.get().word()
              + ": use a token with that role");
    }
    return new Verdict.Allowed(role.get());
  }

  private Verdict deny(Reason reason, String message) {
    counter(reason).increment();
    return new Verdict.Denied(reason, message);
  }

  private Counter counter(Reason reason) {
    return Counter.builder("auth.failures")
        .description("Requests refused for a missing, invalid or too weak bearer token")
        .tag("reason", reason.word())
        .register(registry);
  }
}
