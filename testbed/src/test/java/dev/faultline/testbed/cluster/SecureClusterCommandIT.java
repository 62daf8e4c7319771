package dev.faultline.testbed.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.security.TlsCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline cluster up --tls} from the packaged jar: reachable only with the CA and a token.
 */
@Order(8)
class SecureClusterCommandIT {

  @TempDir Path dir;

  record Run(int code, String out) {}

  Run faultline(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(JarCluster.command());
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("faultline " + String.join(" ", args) + " did not finish");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static HttpResponse<String> get(HttpClient client, String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void upWithTlsServesOnlyClientsThatTrustItsCaAndShowAToken() throws Exception {
    Path data = dir.resolve("secure");
    Run up = null;
    int base = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
      base = JarCluster.randomBase();
      up = faultline("cluster", "up", "--tls", "--data", data.toString(), "--base-port", "" + base);
      if (up.code() == 0 || !up.out().contains("in use")) {
        break;
      }
    }
    try {
      assertThat(up.code()).as(up.out()).isZero();
      assertThat(up.out())
          .contains("https://127.0.0.1:" + base)
          .contains("--cacert " + data.toAbsolutePath().resolve("ca.pem"))
          .contains("Authorization: Bearer");
      for (String f :
          List.of(
              "ca.pem", "n1.pem", "n1-key.pem", "n3.pem", "client.pem", "tokens", "admin.token")) {
        assertThat(data.resolve(f)).exists();
      }
      int port = base;
      String admin = Files.readString(data.resolve("admin.token")).strip();
      TlsCredentials ca = TlsCredentials.trusting(data.resolve("ca.pem"));
      HttpClient trusting = HttpClient.newBuilder().sslContext(ca.sslContext()).build();
      String cluster = "https://127.0.0.1:" + base + "/v1/cluster";

      assertThat(get(trusting, cluster, admin).statusCode()).isEqualTo(200);
      assertThat(get(trusting, cluster, null).statusCode()).isEqualTo(401);
      assertThatThrownBy(() -> get(HttpClient.newHttpClient(), cluster, admin))
          .isInstanceOf(IOException.class); // does not trust the throwaway CA
      assertThatThrownBy(
              () -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/healthz", null))
          .isInstanceOf(IOException.class); // plaintext against TLS

      KvClientOptions o =
          KvClientOptions.of(List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1)))
              .withTls(ca)
              .withToken(admin);
      try (KvClient kv = KvClient.http(o)) {
        kv.put("greeting", "hello");
        assertThat(kv.get("greeting")).contains("hello");
      }

      // status gives each node 2 s to answer; a node starved of CPU that long (a machine at load
      // 25-40 did it) is asked again, for at most 90 s: a status that never succeeds still fails.
      Run status = faultline("cluster", "status", "--data", data.toString());
      long asking = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (status.code() != 0 && System.nanoTime() < asking) {
        status = faultline("cluster", "status", "--data", data.toString());
      }
      assertThat(status.code()).as(status.out()).isZero();
      assertThat(status.out()).contains("leader");
    } finally {
      Run down = faultline("cluster", "down", "--data", data.toString());
      assertThat(down.code()).as(down.out()).isZero();
    }
  }
}
