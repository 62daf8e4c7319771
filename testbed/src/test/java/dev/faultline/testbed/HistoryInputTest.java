package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `check` and `history stats` make of histories with nothing in them, or worse. */
class HistoryInputTest {
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

  private void refused(String name, String content, String found) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    for (String[] cmd : new String[][] {{"check"}, {"history", "stats"}}) {
      String[] args = java.util.Arrays.copyOf(cmd, cmd.length + 1);
      args[cmd.length] = file.toString();
      Run r = run(args);
      assertThat(r.code()).as("%s %s: %s", String.join(" ", cmd), name, r.out()).isEqualTo(3);
      assertThat(r.out()).doesNotContain("VALID");
      assertThat(r.err())
          .contains(file + ":1:1: expected a history with at least one client op, found " + found)
          .hasLineCount(1);
    }
  }

  @Test
  void emptyFileIsAnErrorNotAValidHistory() throws Exception {
    refused("empty.jsonl", "", "an empty file");
  }

  @Test
  void whitespaceOnlyFileIsAnError() throws Exception {
    refused("blank.edn", "  \n\n \t\n", "only whitespace");
  }

  @Test
  void logWithoutJepsenOpLinesIsAnError() throws Exception {
    refused(
        "other.log",
        "2017-01-01 INFO jepsen.core - Running test\nsome other line\n",
        "no Jepsen op line");
  }

  @Test
  void deepNestingExitsThreeWithItsPlace() throws Exception {
    Path file = dir.resolve("deep.edn");
    Files.writeString(file, "[".repeat(5000) + "]".repeat(5000) + "\n");
    Run r = run("check", file.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).startsWith("faultline check: " + file + ":1:").hasLineCount(1);
  }

  @Test
  void checkAndStatsCountOpsAlike() throws Exception {
    Path file = dir.resolve("h.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"a\",\"value\":1}",
            "{\"process\":\"nemesis\",\"type\":\"info\",\"f\":\"start-partition\",\"value\":null}",
            "{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"a\",\"value\":1}",
            "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"a\",\"value\":null}",
            "{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"key\":\"a\",\"value\":1}",
            ""));
    Run stats = run("history", "stats", file.toString());
    Run check = run("check", file.toString());
    assertThat(stats.out()).contains("5 ops, 1 nemesis events");
    assertThat(check.out()).contains("(5 ops, 2 calls, 1 key,");
  }
}
