package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faultline bench checker} through the real command line. */
class BenchCheckerCommandTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Faultline.execute(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void helpPrintsNoPicocliWarnings() {
    Run r = run("bench", "checker", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.err()).doesNotContain("WARN");
    assertThat(r.out()).contains("5% info").contains("--all-keys").contains("--no-explain");
  }

  @Test
  void measuresWhatCheckDoesByDefault() throws Exception {
    Files.writeString(
        dir.resolve("bad.jsonl"),
        String.join(
            "\n",
            "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"a\",\"value\":1}",
            "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"a\",\"value\":1}",
            "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"a\",\"value\":null}",
            "{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"key\":\"a\",\"value\":2}",
            ""));
    Run r = run("bench", "checker", "--warmup", "0", "--runs", "1", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("explain true")
        .contains("stop at first invalid key")
        .containsPattern("bad.jsonl\\s+invalid");
  }
}
