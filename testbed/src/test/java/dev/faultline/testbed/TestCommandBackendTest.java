package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testbed.run.TestOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code faultline test}'s backend options (TLS, Toxiproxy, Docker), without running a cluster. */
class TestCommandBackendTest {

  private static TestOptions parse(String... args) {
    CommandLine cl = Faultline.commandLine();
    CommandLine.ParseResult result = cl.parseArgs(args);
    TestCommand test = (TestCommand) result.subcommand().commandSpec().userObject();
    return test.options(7);
  }

  @Test
  void withoutTlsTheNodesRunPlaintextAndTestJsonSaysSo() {
    TestOptions o = parse("test");

    assertThat(o.backend().tls()).isFalse();
    assertThat(o.toMap()).containsEntry("tls", false);
  }

  @Test
  void tlsIsRecordedInTheOptionsOfTestJson() {
    TestOptions o = parse("test", "--tls");

    assertThat(o.backend().tls()).isTrue();
    assertThat(o.toMap()).containsEntry("tls", true);
    assertThat(o.withSeed(8).backend().tls()).isTrue();
  }
}
