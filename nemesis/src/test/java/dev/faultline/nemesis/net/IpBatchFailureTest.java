package dev.faultline.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.nemesis.os.Exec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A failed `ip -batch` names the line that failed and what ip said of it. */
class IpBatchFailureTest {
  private static final String BATCH =
      "link add vfl1 type veth peer name pfl1\nlink set pfl1 netns 42\nlink set vfl1 master fl0 up\n";

  @Test
  void theFailingLineAndItsReasonAreNamed() {
    var r =
        new Exec.Result(
            List.of("/usr/sbin/ip", "-batch", "-"),
            1,
            "RTNETLINK answers: File exists\nCommand failed -:1\n");
    assertThat(SandboxNet.batchFailure(BATCH, r))
        .isEqualTo("ip link add vfl1 type veth peer name pfl1: RTNETLINK answers: File exists");
  }

  @Test
  void aLaterLineIsFoundByItsNumber() {
    var r =
        new Exec.Result(
            List.of("ip", "-batch", "-"), 1, "Cannot find device \"fl0\"\nCommand failed -:3");
    assertThat(SandboxNet.batchFailure(BATCH, r))
        .isEqualTo("ip link set vfl1 master fl0 up: Cannot find device \"fl0\"");
  }

  @Test
  void outputOfAnotherShapeIsShownWhole() {
    var r = new Exec.Result(List.of("ip", "-batch", "-"), 124, "timed out after 10000 ms");
    assertThat(SandboxNet.batchFailure(BATCH, r))
        .isEqualTo("ip -batch - exited with 124: timed out after 10000 ms");
  }
}
