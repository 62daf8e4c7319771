package dev.faultline.testbed.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's nodes live and how they are reached: whether they serve TLS with bearer tokens
 * ({@code --tls}). The default is plaintext nodes in the network sandbox, as before.
 *
 * @param tls every node gets a certificate of a throwaway CA and a token file; clients and probes
 *     use HTTPS (gRPC over TLS) and tokens
 */
public record Backend(boolean tls) {
  /** Plaintext nodes on this machine. */
  public static final Backend DEFAULT = new Backend(false);

  /** The backend's options as plain values, for test.json. */
  public Map<String, Object> toMap() {
    var m = new LinkedHashMap<String, Object>();
    m.put("tls", tls);
    return m;
  }
}
