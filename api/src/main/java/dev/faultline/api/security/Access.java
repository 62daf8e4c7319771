package dev.faultline.api.security;

import java.util.Set;

/**
 * Which {@link Role} each endpoint needs: reads need {@code read}, writes {@code write}, membership
 * administration ({@code /v1/admin/}) {@code admin}; health, readiness, metrics and the API
 * description are open when listed in {@code auth-open-endpoints} and need {@code read} otherwise.
 * Unknown routes need {@code read}, so an anonymous caller learns nothing about which routes exist.
 * A null role means open.
 */
public record Access(Set<String> openEndpoints) {

  public Access {
    openEndpoints = Set.copyOf(openEndpoints);
  }

  /** The role an HTTP request needs. */
  public Role http(String method, String path) {
    switch (path) {
      case "/healthz":
        return guarded("healthz");
      case "/readyz":
        return guarded("readyz");
      case "/metrics":
        return guarded("metrics");
      case "/openapi.json":
        return guarded("openapi");
      default:
        break;
    }
    if (path.startsWith("/v1/admin/")) {
      return Role.ADMIN;
    }
    if (path.startsWith("/v1/kv/")) {
      return switch (method) {
        case "GET", "HEAD", "OPTIONS" -> Role.READ;
        default -> Role.WRITE;
      };
    }
    return Role.READ;
  }

  /** The role a gRPC call needs, by its full method name ({@code faultline.kv.v1.Kv/Put}). */
  public Role grpc(String fullMethod) {
    if (fullMethod.startsWith("grpc.health.v1.Health/")) {
      return guarded("healthz");
    }
    if (fullMethod.startsWith("grpc.reflection.")) {
      return guarded("openapi");
    }
    return switch (fullMethod) {
      case "faultline.kv.v1.Kv/Get" -> Role.READ;
      case "faultline.kv.v1.Kv/Put", "faultline.kv.v1.Kv/Delete", "faultline.kv.v1.Kv/Cas" ->
          Role.WRITE;
      default -> Role.ADMIN;
    };
  }

  private Role guarded(String endpoint) {
    return openEndpoints.contains(endpoint) ? null : Role.READ;
  }
}
