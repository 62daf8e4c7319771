package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.api.config.NodeConfig;
import dev.faultline.api.node.FaultlineNode;
import dev.faultline.raft.Role;
import dev.faultline.testbed.OptionChecksTest.Run;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline bench --protocol grpc} against real servers, briefly: a one-node Faultline in
 * this JVM (its own gRPC service) and, when etcd is installed, a one-member etcd (its native API).
 * Each run is bounded by {@code --max-ops} and a one-second duration.
 */
class BenchGrpcTest {
  /** The only key of a {@code --keys 1} run: "bench-" padded with zeros to 32 bytes, then 0. */
  private static final String KEY_0 = "bench-" + "0".repeat(25) + "0";

  private static final Pattern RESULT =
      Pattern.compile(
          "RESULT system=(\\S+) protocol=(\\S+) mix=(\\S+) in_flight=(\\d+) ops_per_sec=(\\d+)"
              + " .* errors=(\\d+)");

  @TempDir Path tmp;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Run bench(String system, String target, String mix, int inFlight, int keys) {
    Run r =
        OptionChecksTest.run(
            "bench",
            "--system",
            system,
            "--protocol",
            "grpc",
            "--target",
            target,
            "--mix",
            mix,
            "--in-flight",
            Integer.toString(inFlight),
            "--keys",
            Integer.toString(keys),
            "--duration",
            "1s",
            "--warmup",
            "0s",
            "--max-ops",
            "300");
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    Matcher m = RESULT.matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    assertThat(m.group(1)).isEqualTo(system);
    assertThat(m.group(2)).isEqualTo("grpc");
    assertThat(m.group(3)).isEqualTo(mix);
    assertThat(m.group(4)).isEqualTo(Integer.toString(inFlight));
    assertThat(Long.parseLong(m.group(5))).as(r.out()).isPositive();
    assertThat(m.group(6)).as(r.out()).isEqualTo("0");
    return r;
  }

  @Test
  void grpcLoadOnAOneNodeFaultlineWritesThroughTheNodesOwnService() throws Exception {
    NodeConfig config = TestNodes.configs(tmp, 1).get(0);
    String http = config.httpAddress().substring(config.httpAddress().lastIndexOf(':') + 1);
    String grpc = config.grpcAddress().substring(config.grpcAddress().lastIndexOf(':') + 1);
    try (FaultlineNode node = FaultlineNode.start(config)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> node.status().role() == Role.LEADER);

      Run put = bench("faultline", "127.0.0.1:" + grpc, "put", 4, 1);
      assertThat(put.out()).contains("faultline over grpc at 127.0.0.1:" + grpc);
      HttpResponse<byte[]> stored =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/v1/kv/" + KEY_0))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(stored.statusCode()).isEqualTo(200);
      assertThat(stored.body()).hasSize(256);

      Run mixed = bench("faultline", "127.0.0.1:" + grpc, "put-get-delete", 8, 20);
      assertThat(mixed.out()).contains("  put ").contains("  get ").contains("  delete ");
      bench("faultline", "http://127.0.0.1:" + grpc, "get", 1, 20);
    }
  }

  @Test
  void grpcLoadOnAOneMemberEtcdUsesItsNativeApi() throws Exception {
    Path etcd = etcdBinary();
    Assumptions.assumeTrue(
        etcd != null, "etcd is not installed (Debian: apt-get install etcd-server); skipped");
    int client = freePort();
    int peer = freePort();
    List<String> argv =
        new ArrayList<>(
            List.of(
                etcd.toString(),
                "--name",
                "e1",
                "--data-dir",
                tmp.resolve("etcd").toString(),
                "--listen-client-urls",
                "http://127.0.0.1:" + client,
                "--advertise-client-urls",
                "http://127.0.0.1:" + client,
                "--listen-peer-urls",
                "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:" + peer,
                "--initial-cluster",
                "e1=http://127.0.0.1:" + peer));
    Process p =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("etcd.log").toFile())
            .start();
    HttpClient web = HttpClient.newHttpClient();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  web.send(
                          HttpRequest.newBuilder(
                                  URI.create("http://127.0.0.1:" + client + "/health"))
                              .timeout(Duration.ofSeconds(2))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body()
                      .contains("\"true\""));

      bench("etcd", "127.0.0.1:" + client, "put", 4, 1);
      String b64 = Base64.getEncoder().encodeToString(KEY_0.getBytes(StandardCharsets.US_ASCII));
      String range =
          web.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + client + "/v3/kv/range"))
                      .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + b64 + "\"}"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(range).contains("\"kvs\"").contains("\"key\":\"" + b64 + "\"");
      bench("etcd", "127.0.0.1:" + client, "get", 1, 1);
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Path etcdBinary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "etcd");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
