package dev.faultline.api.security;

import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Material for secure tests: a generated cluster PKI on loopback, and strays from other CAs. */
final class TestPki {

  final Path dir;
  final ClusterPki pki;

  TestPki(Path dir, String... nodeIds) {
    this.dir = dir;
    try {
      this.pki =
          ClusterPki.generate(
              dir, List.of(nodeIds), List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A node config on loopback with free ports, TLS and tokens from this PKI, plus {@code extra}.
   */
  NodeConfig config(String id, Map<String, Object> extra) {
    Map<String, Object> o = new HashMap<>(pki.nodeOptions(id));
    o.put("id", id);
    o.put("data-dir", dir.resolve("data-" + id).toString());
    o.put("http-address", "127.0.0.1:0");
    o.put("grpc-address", "127.0.0.1:0");
    o.put("peer-address", "127.0.0.1:0");
    o.putAll(extra);
    return ConfigSources.fromOptions(o);
  }

  /** Client credentials trusting this PKI's CA, without a client certificate. */
  TlsCredentials trustOnly() {
    return TlsCredentials.trusting(pki.caFile());
  }
}
