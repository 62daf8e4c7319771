package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NodeCommandTest {

  @TempDir Path dir;

  private record Run(int code, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Faultline.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, err.toString());
  }

  @Test
  void badOptionValueExitsThreeWithOneLineNamingTheFlag() {
    Run r = run("node", "--id", "n1", "--data", dir.toString(), "--tick-ms", "fast");

    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip()).doesNotContain("\n").contains("--tick-ms").contains("fast");
  }

  @Test
  void missingIdIsRefused() {
    Run r = run("node", "--data", dir.toString());

    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err()).contains("--id");
  }

  @Test
  void unknownFlagIsRefusedWithTheKnownOptions() {
    Run r = run("node", "--id", "n1", "--data", dir.toString(), "--tikms", "5");

    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err()).contains("tikms").contains("tick-ms");
  }

  @Test
  void unknownBugIsRefusedBeforeStartingListingTheKnownBugs() {
    Run r = run("node", "--id", "n1", "--data", dir.toString(), "--bug", "lost-writes");

    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip())
        .doesNotContain("\n")
        .contains("unknown bug 'lost-writes'")
        .contains("stale-read")
        .contains("lost-rebuild-writes");
  }
}
