package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faultline history stats|convert} through the real command line. */
class HistoryCommandTest {
  private static final String HISTORY =
      String.join(
          "\n",
          "{\"index\":0,\"time\":100,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k1\",\"value\":1}",
          "{\"index\":1,\"time\":200,\"process\":1,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"k1\",\"value\":null}",
          "{\"index\":2,\"time\":300,\"process\":\"nemesis\",\"type\":\"info\",\"f\":\"start-partition\",\"value\":{\"n1\":[\"n2\"]}}",
          "{\"index\":3,\"time\":400,\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"k1\",\"value\":1,\"node\":\"n2\"}",
          "{\"index\":4,\"time\":1000000500,\"process\":1,\"type\":\"info\",\"f\":\"read\",\"key\":\"k1\",\"value\":null,\"error\":\"timeout\"}",
          "{\"index\":5,\"time\":1000000600,\"process\":2,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k2\",\"value\":[1,2]}",
          "");

  @TempDir Path dir;

  /** Exit code, stdout and stderr of one run. */
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

  private Path history() throws IOException {
    Path file = dir.resolve("history.jsonl");
    Files.writeString(file, HISTORY);
    return file;
  }

  @Test
  void statsPrintsCountsForPeople() throws IOException {
    Run r = run("history", "stats", history().toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("6 ops, 1 nemesis events")
        .contains("max concurrency: 2 open invocations")
        .contains("1 info, 1 pending")
        .contains("time span:       1.000 s")
        .contains("keys: 2");
  }

  @Test
  void statsAsJsonIsMachineReadable() throws IOException {
    Run r = run("history", "stats", "--json", history().toString());
    assertThat(r.code()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("ops").asInt()).isEqualTo(6);
    assertThat(json.get("format").asText()).isEqualTo("jsonl");
    assertThat(json.get("max_concurrency").asInt()).isEqualTo(2);
    assertThat(json.get("pending").asInt()).isEqualTo(1);
    assertThat(json.get("info").asInt()).isEqualTo(1);
    assertThat(json.get("by_function").get("write").get("ok").asInt()).isEqualTo(1);
    assertThat(json.get("top_keys").get(0).get("name").asText()).isEqualTo("k1");
    assertThat(json.get("span_ns").asLong()).isEqualTo(1_000_000_500L);
  }

  @Test
  void statsOfAMalformedFileExitsThreeWithTheLineAndColumn() throws IOException {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, HISTORY + "{\"process\":3,\"type\":\"ok\"\n");
    Run r = run("history", "stats", bad.toString());
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip()).contains(bad + ":7:").contains("expected").doesNotContain("\n");
  }

  @Test
  void statsOfAMissingFileExitsThree() {
    Run r = run("history", "stats", dir.resolve("nope.jsonl").toString());
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err()).contains("no such history file");
  }

  @Test
  void statsRefusesAnUnknownFormatName() throws IOException {
    Run r = run("history", "stats", "--format", "xml", history().toString());
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err()).contains("expected auto, jsonl, edn");
  }

  @Test
  void convertToEdnAndBackKeepsEveryOp() throws IOException {
    Path in = history();
    Path edn = dir.resolve("h.edn");
    Path back = dir.resolve("back.jsonl");
    assertThat(run("history", "convert", in.toString(), edn.toString(), "--to", "edn").code())
        .isZero();
    assertThat(Files.readString(edn)).contains(":process :nemesis").contains(":key \"k1\"");
    Run r = run("history", "convert", edn.toString(), back.toString(), "--to", "jsonl");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("6 ops");
    History original = HistoryFiles.read(in);
    assertThat(HistoryFiles.read(back).ops()).isEqualTo(original.ops());
  }

  @Test
  void convertOfAMalformedFileExitsThreeAndWritesNothing() throws IOException {
    Path bad = dir.resolve("bad.edn");
    Files.writeString(bad, "{:process 0, :type :invoke, :f :read, :value [1 2}\n");
    Path out = dir.resolve("out.jsonl");
    Run r = run("history", "convert", bad.toString(), out.toString(), "--to", "jsonl");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err()).contains(bad + ":1:50: expected ']'");
    assertThat(out).doesNotExist();
  }

  @Test
  void convertRefusesAReadOnlyTargetFormat() throws IOException {
    Run r =
        run(
            "history",
            "convert",
            history().toString(),
            dir.resolve("x.log").toString(),
            "--to",
            "jepsen-log");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err()).contains("expected jsonl or edn");
  }

  @Test
  void benchReadsAGeneratedHistory() {
    Run r = run("bench", "history", "--ops", "2000", "--runs", "1");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("generated 2000 ops").contains("read 2000 ops");
  }
}
