package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.testbed.run.RunVerdict;
import dev.faultline.testbed.run.TestOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code faultline test}'s options and exit codes, without running a cluster. */
class TestCommandTest {

  private static TestOptions parse(String... args) {
    CommandLine cl = Faultline.commandLine();
    CommandLine.ParseResult result = cl.parseArgs(args);
    TestCommand test = (TestCommand) result.subcommand().commandSpec().userObject();
    return test.options(99);
  }

  @Test
  void withNoFlagsItRunsFiveNodesOfKvUnderPartitionsCrashesAndPausesForAMinute() {
    TestOptions o = parse("test");

    assertThat(o.nodes()).isEqualTo(5);
    assertThat(o.workload()).isEqualTo("kv");
    assertThat(o.nemesis().kinds())
        .containsExactly(FaultKind.PARTITION, FaultKind.KILL, FaultKind.PAUSE);
    assertThat(o.timeLimit()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.concurrency()).isEqualTo(50);
    assertThat(o.rate()).isZero();
    assertThat(o.protocol()).isEqualTo("http");
    assertThat(o.bug()).isEmpty();
    assertThat(o.testCount()).isEqualTo(1);
    assertThat(o.store()).isEqualTo(Path.of("runs"));
    assertThat(o.recoveryWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.seed()).isEqualTo(99);
    assertThat(o.runName()).isEqualTo("kv-partition+kill+pause");
  }

  @Test
  void everyOptionReachesTheRun() {
    TestOptions o =
        parse(
            "test",
            "--nodes",
            "3",
            "--workload",
            "set",
            "--nemesis",
            "kill,disk",
            "--time-limit",
            "90s",
            "--concurrency",
            "4",
            "--rate",
            "250",
            "--protocol",
            "http",
            "--seed",
            "5",
            "--bug",
            "stale-read",
            "--test-count",
            "3",
            "--store",
            "/tmp/runs",
            "--recovery-wait",
            "20",
            "--interval",
            "5");

    assertThat(o.nodes()).isEqualTo(3);
    assertThat(o.workload()).isEqualTo("set");
    assertThat(o.nemesis().kinds()).containsExactly(FaultKind.KILL, FaultKind.DISK);
    assertThat(o.timeLimit()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.concurrency()).isEqualTo(4);
    assertThat(o.rate()).isEqualTo(250);
    assertThat(o.bug()).contains("stale-read");
    assertThat(o.testCount()).isEqualTo(3);
    assertThat(o.store()).isEqualTo(Path.of("/tmp/runs"));
    assertThat(o.recoveryWait()).isEqualTo(Duration.ofSeconds(20));
    assertThat(o.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.withSeed(6).seed()).isEqualTo(6);
    assertThat(o.toMap()).containsEntry("bug", "stale-read").containsEntry("nodes", 3);
  }

  /** Exit code and stderr of a command that fails before any cluster is started. */
  private static String[] runBad(String... args) {
    PrintStream oldErr = System.err;
    var captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int code = Faultline.execute(args);
      return new String[] {Integer.toString(code), captured.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(oldErr);
    }
  }

  @Test
  void badOptionsExitThreeWithOneLineNamingTheOption() {
    for (List<String> args :
        List.of(
            List.of("test", "--nodes", "0"),
            List.of("test", "--workload", "bank"),
            List.of("test", "--nemesis", "flood"),
            List.of("test", "--protocol", "udp"),
            List.of("test", "--time-limit", "soon"),
            List.of("test", "--nodes", "1", "--nemesis", "partition"))) {
      String[] r = runBad(args.toArray(String[]::new));
      assertThat(r[0]).as(args.toString()).isEqualTo("3");
      String first = r[1].lines().findFirst().orElse("");
      assertThat(first).as(args + ": " + r[1]).startsWith("faultline: ");
      assertThat(first)
          .containsAnyOf("--nodes", "workload", "nemesis", "--protocol", "--time-limit");
    }
  }

  @Test
  void theSummaryTableCountsEachVerdict() {
    assertThat(
            TestCommand.table(
                List.of(RunVerdict.VALID, RunVerdict.INVALID, RunVerdict.VALID, RunVerdict.FAILED)))
        .isEqualTo("runs 4  valid 2  invalid 1  unknown 0  failed 1");
  }

  @Test
  void testCountRaisesTheSeedByOneEachRunUnlessTheSeedIsToBeRepeated() {
    assertThat(List.of(0, 1, 2).stream().map(i -> TestCommand.seedOfRun(40, i, false)))
        .containsExactly(40L, 41L, 42L);
    assertThat(List.of(0, 1, 2).stream().map(i -> TestCommand.seedOfRun(40, i, true)))
        .containsExactly(40L, 40L, 40L);
    CommandLine.ParseResult result =
        Faultline.commandLine()
            .parseArgs("test", "--seed", "40", "--test-count", "3", "--same-seed");
    TestCommand test = (TestCommand) result.subcommand().commandSpec().userObject();
    assertThat(test.sameSeed).isTrue();
  }
}
