package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faultline check} through the real command line: verdict line, exit codes, outputs. */
class CheckCommandTest {
  private static final String VALID =
      String.join(
          "\n",
          "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k1\",\"value\":1}",
          "{\"index\":1,\"time\":2,\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k1\",\"value\":null}",
          "{\"index\":2,\"time\":3,\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"k1\",\"value\":1}",
          "{\"index\":3,\"time\":4,\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"key\":\"k1\",\"value\":1}",
          "");
  private static final String INVALID =
      String.join(
          "\n",
          "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k1\",\"value\":1}",
          "{\"index\":1,\"time\":2,\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"k1\",\"value\":1}",
          "{\"index\":2,\"time\":3,\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k1\",\"value\":null}",
          "{\"index\":3,\"time\":4,\"process\":1,\"type\":\"ok\",\"f\":\"read\",\"key\":\"k1\",\"value\":7}",
          "");

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

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void validHistoryExitsZeroAndSaysWhichModelAutoPicked() throws IOException {
    Run r = run("check", write("ok.jsonl", VALID).toString());
    assertThat(r.code()).isEqualTo(ExitCode.VALID);
    assertThat(r.out())
        .startsWith("VALID")
        .contains("model:  register (auto: register (f values read, write))");
  }

  @Test
  void invalidHistoryExitsOneAndNamesTheCulprit() throws IOException {
    Run r = run("check", write("bad.jsonl", INVALID).toString(), "--model", "cas-register");
    assertThat(r.code()).isEqualTo(ExitCode.INVALID);
    assertThat(r.out()).startsWith("INVALID").contains("culprit: op #2 (read 7)");
    assertThat(r.out()).contains("read 7, but the register holds 1");
  }

  @Test
  void outWritesResultsAndPage() throws IOException {
    Path out = dir.resolve("out");
    Run r = run("check", write("bad.jsonl", INVALID).toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(ExitCode.INVALID);
    assertThat(
            new ObjectMapper()
                .readTree(out.resolve("results.json").toFile())
                .get("verdict")
                .asText())
        .isEqualTo("invalid");
    assertThat(Files.readString(out.resolve("check.html")))
        .contains("<svg")
        .doesNotContain("src=\"http")
        .doesNotContain("<link");
    assertThat(Files.readString(out.resolve("report.html")))
        .contains("Invalid")
        .doesNotContain("src=\"http");
    assertThat(Files.readString(out.resolve("junit.xml"))).contains("<failure");
    assertThat(out.resolve("history.jsonl")).exists();
  }

  @Test
  void tinyTimeoutOnAHardHistoryExitsTwo() throws IOException {
    StringBuilder b = new StringBuilder();
    int n = 40;
    int index = 0;
    for (int p = 0; p < n; p++) {
      b.append(line(index++, p, "invoke", "write", Integer.toString(p)));
    }
    for (int p = 0; p < n; p++) {
      b.append(line(index++, p, "ok", "write", Integer.toString(p)));
    }
    b.append(line(index++, n, "invoke", "read", "null"));
    b.append(line(index, n, "ok", "read", "-1"));
    Run r = run("check", write("hard.jsonl", b.toString()).toString(), "--timeout", "200ms");
    assertThat(r.code()).isEqualTo(ExitCode.UNKNOWN);
    assertThat(r.out()).startsWith("UNKNOWN").contains("timeout");
  }

  private static String line(int index, int process, String type, String f, String value) {
    return "{\"index\":"
        + index
        + ",\"time\":"
        + index
        + ",\"process\":"
        + process
        + ",\"type\":\""
        + type
        + "\",\"f\":\""
        + f
        + "\",\"value\":"
        + value
        + "}\n";
  }

  @Test
  void benchCheckerTimesEveryHistoryOfAFolderAndAGeneratedOne() throws IOException {
    write("ok.jsonl", VALID);
    write("bad.jsonl", INVALID);
    Run r =
        run(
            "bench",
            "checker",
            dir.toString(),
            "--warmup",
            "0",
            "--runs",
            "1",
            "--generate-kv",
            "2000");
    assertThat(r.code()).isEqualTo(ExitCode.VALID);
    assertThat(r.out())
        .contains("ok.jsonl")
        .contains("bad.jsonl")
        .contains("TOTAL 2 histories")
        .contains("generated 2000 calls")
        .contains("run 1: valid");
  }

  @Test
  void unsupportedModelAndMissingFileExitThree() throws IOException {
    Run txn =
        run(
            "check",
            write(
                    "txn.jsonl",
                    "{\"index\":0,\"process\":0,\"type\":\"invoke\",\"f\":\"txn\",\"value\":[]}\n")
                .toString());
    assertThat(txn.code()).isEqualTo(ExitCode.ERROR);
    assertThat(txn.err()).contains("model not supported");
    Run missing = run("check", dir.resolve("nope.jsonl").toString());
    assertThat(missing.code()).isEqualTo(ExitCode.ERROR);
    assertThat(missing.err()).contains("no such history file");
  }
}
