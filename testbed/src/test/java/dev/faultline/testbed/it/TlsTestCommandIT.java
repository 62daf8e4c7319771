package dev.faultline.testbed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.nemesis.net.NetworkSandbox;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline test --tls} end to end: three nodes in the network sandbox serving only TLS and
 * bearer tokens (on 10.77.0.x a plaintext node would refuse to start), clients over HTTPS with a
 * write token, partitions and crashes; the run must be valid.
 */
@Order(7)
class TlsTestCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static FaultlineJar jar;
  private static String skipReason;

  @TempDir Path store;

  @BeforeAll
  static void findJarAndSandbox() throws Exception {
    jar = FaultlineJar.locate();
    Optional<String> why = jar.unusable();
    if (why.isEmpty()) {
      why = NetworkSandbox.unavailableReason().map(r -> "network sandbox unavailable: " + r);
    }
    skipReason = why.orElse(null);
  }

  @BeforeEach
  void requireARealCluster() {
    assumeTrue(skipReason == null, skipReason);
  }

  @Test
  void partitionsAndCrashesOfATlsClusterAreValid() throws Exception {
    FaultlineJar.Result r =
        jar.run(
            store,
            600, // against a hung run; generous for a heavily loaded machine (see TestCommandIT)
            "test",
            "--tls",
            "--store",
            store.toString(),
            "--nodes",
            "3",
            "--nemesis",
            "partition,kill",
            "--time-limit",
            "15",
            "--interval",
            "4",
            "--concurrency",
            "5",
            "--seed",
            "21");

    assertThat(r.code()).as(r.output()).isZero();
    Path latest = store.resolve("latest");
    JsonNode results = JSON.readTree(latest.resolve("results.json").toFile());
    assertThat(results.path("verdict").asText()).isEqualTo("valid");
    assertThat(results.path("network").asText()).startsWith("sandbox").endsWith("TLS");
    assertThat(results.path("ops").path("by_f").path("write").path("ok").asLong())
        .as("writes acknowledged over HTTPS with a token")
        .isPositive();
    JsonNode test = JSON.readTree(latest.resolve("test.json").toFile());
    assertThat(test.path("options").path("tls").asBoolean()).isTrue();
    assertThat(latest.resolve("work").resolve("tls").resolve("ca.pem")).isRegularFile();
  }
}
