package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testbed.OptionChecksTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline bench}'s choice of system, protocol and load shape is checked before anything is
 * started or connected to, and each refusal says what to write instead.
 */
class BenchKvCommandTest {
  @TempDir Path tmp;

  private static String refusal(String... args) {
    Run r = OptionChecksTest.run(args);
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCode.ERROR);
    assertThat(r.out()).doesNotContain("started a 3-node cluster").doesNotContain("RESULT");
    return r.err().strip();
  }

  @Test
  void anUnknownProtocolIsRefused() {
    assertThat(refusal("bench", "--protocol", "quic", "--duration", "1s"))
        .isEqualTo("faultline bench: --protocol 'quic' is not one of http, grpc");
  }

  @Test
  void zeroInFlightIsRefused() {
    assertThat(refusal("bench", "--protocol", "grpc", "--in-flight", "0"))
        .isEqualTo("faultline bench: --in-flight must be 1 to 4096, was 0");
  }

  @Test
  void anUnknownSystemIsRefused() {
    assertThat(refusal("bench", "--system", "consul", "--target", "127.0.0.1:1"))
        .isEqualTo("faultline bench: --system 'consul' is not one of faultline, etcd");
  }

  @Test
  void etcdWithoutTargetsIsRefusedRatherThanStartingFaultline() {
    assertThat(refusal("bench", "--system", "etcd", "--protocol", "grpc"))
        .isEqualTo(
            "faultline bench: --system etcd needs --target with the etcd members' client"
                + " addresses");
  }

  @Test
  void theEtcdFlagAloneMeansEtcd() {
    assertThat(refusal("bench", "--etcd"))
        .isEqualTo(
            "faultline bench: --system etcd needs --target with the etcd members' client"
                + " addresses");
  }

  @Test
  void etcdFlagAndAnotherSystemContradict() {
    assertThat(refusal("bench", "--etcd", "--system", "faultline", "--target", "http://h:1"))
        .isEqualTo(
            "faultline bench: --etcd and --system faultline contradict each other; give one of"
                + " them");
  }

  @Test
  void aGrpcTargetMustBeHostAndPort() {
    assertThat(refusal("bench", "--protocol", "grpc", "--target", "http://127.0.0.1:8080/v1"))
        .isEqualTo(
            "faultline bench: --target http://127.0.0.1:8080/v1: not a gRPC address; write"
                + " HOST:PORT, e.g. 127.0.0.1:8180 (a node's --grpc address, or an etcd member's"
                + " client port)");
    assertThat(refusal("bench", "--protocol", "grpc", "--target", "127.0.0.1:99999"))
        .startsWith("faultline bench: --target 127.0.0.1:99999: not a gRPC address");
  }

  @Test
  void anHttpTargetMustStillBeABaseUrl() {
    assertThat(refusal("bench", "--protocol", "http", "--target", "127.0.0.1:8080"))
        .startsWith("faultline bench: --target 127.0.0.1:8080: not a node's base URL");
  }

  @Test
  void zeroChannelsIsRefused() {
    assertThat(refusal("bench", "--protocol", "grpc", "--channels", "0"))
        .isEqualTo("faultline bench: --channels must be 1 to 64, was 0");
  }

  @Test
  void fsyncTimesAppendsInTheGivenDirectoryAndLeavesNothingThere() throws IOException {
    Run r = OptionChecksTest.run("bench", "fsync", "--dir", tmp.toString(), "--count", "20");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("fsync in " + tmp.toRealPath())
        .containsPattern("RESULT fsync fs=\\S+ count=20 size=4096 mean_ms=[0-9.]+ ")
        .containsPattern("RESULT fsync-ahead fs=\\S+ count=20 size=4096 mean_ms=[0-9.]+ ");
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void fsyncWithSeveralWritersTimesEachOfTheirAppendsAndLeavesNothingThere() throws IOException {
    Run r =
        OptionChecksTest.run(
            "bench", "fsync", "--dir", tmp.toString(), "--count", "15", "--writers", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("3 writers at once")
        .containsPattern("RESULT fsync fs=\\S+ count=45 size=4096 mean_ms=[0-9.]+ .* writers=3")
        .containsPattern("RESULT fsync-ahead fs=\\S+ count=45 size=4096 .* writers=3");
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).isEmpty();
    }
    assertThat(refusal("bench", "fsync", "--dir", tmp.toString(), "--writers", "0"))
        .isEqualTo("faultline bench fsync: --writers must be 1 to 16, was 0");
  }

  @Test
  void fsyncRefusesAMissingDirectory() {
    Path missing = tmp.resolve("no-such-dir");
    assertThat(refusal("bench", "fsync", "--dir", missing.toString()))
        .isEqualTo(
            "faultline bench fsync: --dir "
                + missing
                + ": not a directory; give an existing directory on the disk to measure");
  }
}
