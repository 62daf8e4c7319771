package dev.faultline.api.security;

import java.util.Locale;

/**
 * What a bearer token may do. Roles are ordered: {@code write} includes {@code read}, {@code admin}
 * includes both.
 */
public enum Role {
  /** GET keys, cluster status, and the protected health, readiness and metrics endpoints. */
  READ,
  /** Everything {@link #READ} may, plus PUT, DELETE and CAS. */
  WRITE,
  /** Everything; reserved for administrative operations. */
  ADMIN;

  /** Whether a holder of this role may do what {@code needed} guards. */
  public boolean allows(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The role named {@code name} (read, write, admin), or null when there is none. */
  public static Role parse(String name) {
    for (Role r : values()) {
      if (r.name().toLowerCase(Locale.ROOT).equals(name)) {
        return r;
      }
    }
    return null;
  }

  /** The name used in token files and messages. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
