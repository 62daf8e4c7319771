package dev.faultline.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.nemesis.os.Exec;
import dev.faultline.nemesis.os.Tool;
import dev.faultline.nemesis.standin.SandboxScenario;
import dev.faultline.nemesis.standin.StandInCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real runs: a child JVM re-executes itself inside the sandbox, runs three stand-in nodes in their
 * own namespaces and reports each observation; the host's interfaces and rules must not change.
 */
class SandboxTest {
  @TempDir Path dir;

  @BeforeAll
  static void sandboxWorksHere() {
    var reason = NetworkSandbox.unavailableReason();
    Assumptions.assumeTrue(reason.isEmpty(), () -> "no network sandbox here: " + reason.get());
  }

  @Test
  void partitionsCutExactlyTheGrudgedDirectionsAndHealRestoresAll() throws Exception {
    String output = runScenario("network");
    assertThat(output)
        .contains("CHECK all-reach-all-n3-to-n1 ok")
        .contains("CHECK isolated-n3-n3-to-n1 ok")
        .contains("CHECK isolated-n3-n1-to-n2 ok")
        .contains("CHECK isolated-n3-no-tcp-in ok")
        .contains("CHECK one-way-n2-hears-n1 ok")
        .contains("CHECK one-way-n1-blind-to-n2 ok")
        .contains("CHECK healed-all-reach-all-n3-to-n2 ok")
        .doesNotContain("FAIL")
        .contains("DONE failures=0");
  }

  @Test
  void theNetworkIsBuiltAgainRightAfterATeardownAndOverWhatAKilledRunLeft() throws Exception {
    String output = runScenario("recreate");
    assertThat(output)
        .contains("CHECK recreate-1 ok")
        .contains("CHECK recreate-2 ok")
        .contains("CHECK recreate-3 ok")
        .contains("CHECK recreate-4 ok")
        .doesNotContain("FAIL")
        .contains("DONE failures=0");
  }

  @Test
  void killPauseResumeAndRestartActOnTheNodeProcessItself() throws Exception {
    String output = runScenario("process");
    assertThat(output)
        .contains("CHECK pid-is-the-node-n1 ok")
        .contains("CHECK paused-silent ok")
        .contains("CHECK resumed-answers ok")
        .contains("CHECK killed-gone ok")
        .contains("CHECK restarted-new-pid ok")
        .contains("CHECK wal-node-ready-after ok")
        .contains("CHECK heal-all-everyone-answers ok")
        .contains("CHECK logs-n3 ok")
        .doesNotContain("FAIL")
        .contains("DONE failures=0");
  }

  @Test
  void nodesAndNamespaceHoldersDieWhenTheHarnessIsKilled() throws Exception {
    var pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-cp",
                StandInCluster.classPath(),
                SandboxScenario.class.getName(),
                "hold",
                dir.toString())
            .redirectErrorStream(true);
    pb.environment().remove("FAULTLINE_SANDBOX");
    Process harness = pb.start();
    List<Long> pids;
    try (var lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(harness.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      String hold = null;
      // Bounded by the scenario itself: it prints at most a few dozen lines before HOLD.
      for (int i = 0; i < 100 && (line = lines.readLine()) != null; i++) {
        if (line.startsWith("HOLD ")) {
          hold = line;
          break;
        }
      }
      assertThat(hold).as("the run printed its pids").isNotNull();
      pids = java.util.Arrays.stream(hold.substring(5).split(" ")).map(Long::valueOf).toList();
      // The sandboxed JVM, three namespace holders and three nodes.
      assertThat(pids).hasSize(7);
      harness.destroyForcibly();
      harness.waitFor(10, TimeUnit.SECONDS);
    } finally {
      harness.destroyForcibly();
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(pids)
                    .allSatisfy(
                        pid ->
                            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                                .isNotEqualTo(java.util.Optional.of(true))));
  }

  @Test
  void sandboxNetRefusesToBuildOnTheHost() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SandboxNet.create(List.of("n1")))
        .hasMessageContaining("must be created inside the network sandbox");
  }

  private String runScenario(String scenario) throws IOException, InterruptedException {
    String linksBefore = hostLinks();
    String rulesBefore = hostRules();
    var pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-cp",
                StandInCluster.classPath(),
                SandboxScenario.class.getName(),
                scenario,
                dir.toString())
            .redirectErrorStream(true);
    pb.environment().remove("FAULTLINE_SANDBOX");
    Process child = pb.start();
    child.getOutputStream().close();
    var output = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try {
                output.append(
                    new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException ignored) {
                // The output so far is reported.
              }
            });
    reader.start();
    boolean finished = child.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly();
    }
    reader.join(5_000);
    String text;
    synchronized (output) {
      text = output.toString();
    }
    assertThat(finished).as("scenario %s finished within 60 s:%n%s", scenario, text).isTrue();
    Assumptions.assumeFalse(
        child.exitValue() == SandboxScenario.SKIP,
        () -> "iptables unusable in the sandbox: " + text);
    assertThat(child.exitValue()).as("scenario %s exit code:%n%s", scenario, text).isZero();
    assertThat(hostLinks()).as("host interfaces after the run").isEqualTo(linksBefore);
    assertThat(hostRules()).as("host iptables rules after the run").isEqualTo(rulesBefore);
    return text;
  }

  private static String hostLinks() {
    return Exec.run(List.of(Tool.IP.require().toString(), "-o", "link", "show"))
        .orThrow()
        .output()
        .lines()
        .map(line -> line.split(":")[1].strip())
        .sorted()
        .toList()
        .toString();
  }

  private static String hostRules() {
    return Tool.find("iptables-save")
        .map(save -> Exec.run(List.of(save.toString())).output())
        .map(rules -> rules.lines().filter(l -> !l.startsWith("#")).toList().toString())
        .orElse("no iptables-save");
  }
}
