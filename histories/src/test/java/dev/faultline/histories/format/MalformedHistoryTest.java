package dev.faultline.histories.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken history files fail with one line that names the file, line and column. */
class MalformedHistoryTest {
  private static final String OK_INVOKE =
      "{\"index\":0,\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}";

  @TempDir Path dir;

  private HistoryFormatException readFails(String name, String text, HistoryFormat format)
      throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    HistoryFormatException e =
        catchThrowableOfType(() -> HistoryFiles.read(file, format), HistoryFormatException.class);
    assertThat(e).as("reading %s should fail", name).isNotNull();
    assertThat(e.source()).isEqualTo(file.toString());
    assertThat(e.getMessage())
        .startsWith(file + ":" + e.line() + ":" + e.column() + ": expected ")
        .contains(", found ")
        .doesNotContain("\n");
    return e;
  }

  @Test
  void jsonLineCutShortIsReportedAtItsEnd() throws IOException {
    String torn = "{\"index\":1,\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"val";
    HistoryFormatException e =
        readFails("torn.jsonl", OK_INVOKE + "\n" + torn + "\n", HistoryFormat.JSONL);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(torn.length() + 1);
    assertThat(e.getMessage()).contains("cut short").endsWith("found end of line");
  }

  @Test
  void jsonUnknownTypeIsReportedAtTheTypeValue() throws IOException {
    String line = "{\"index\":0,\"process\":0,\"type\":\"foo\",\"f\":\"read\",\"value\":null}";
    HistoryFormatException e = readFails("type.jsonl", line + "\n", HistoryFormat.JSONL);
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(line.indexOf("\"foo\"") + 1);
    assertThat(e.getMessage()).contains("type to be one of invoke, ok, fail, info, found \"foo\"");
  }

  @Test
  void jsonBadNumberIsReportedWhereTheNumberBreaks() throws IOException {
    String line = "{\"index\":0,\"time\":12x,\"process\":0,\"type\":\"invoke\",\"f\":\"read\"}";
    HistoryFormatException e = readFails("number.jsonl", line + "\n", HistoryFormat.JSONL);
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(line.indexOf("x,") + 1);
  }

  @Test
  void columnsCountCharactersNotBytesAfterNonAsciiText() throws IOException {
    String line = "{\"process\":0,\"f\":\"ééé✓\",\"type\":\"bad\",\"value\":null}";
    HistoryFormatException e = readFails("unicode.jsonl", line + "\n", HistoryFormat.JSONL);
    assertThat(e.column()).isEqualTo(line.indexOf("\"bad\"") + 1);
  }

  @Test
  void invalidJsonIsReportedWithLineAndColumn() throws IOException {
    String line = "{\"process\" 0}";
    HistoryFormatException e =
        readFails("invalid.jsonl", OK_INVOKE + "\n\n" + line + "\n", HistoryFormat.JSONL);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(line.indexOf('0') + 1);
    assertThat(e.getMessage()).contains("expected valid JSON");
  }

  @Test
  void completionWithoutInvocationIsReportedAtItsLine() throws IOException {
    String done = "{\"index\":1,\"process\":4,\"type\":\"ok\",\"f\":\"read\",\"value\":3}";
    HistoryFormatException e =
        readFails("orphan.jsonl", OK_INVOKE + "\n" + done + "\n", HistoryFormat.JSONL);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(1);
    assertThat(e.getMessage()).contains("expected an open invocation by process 4");
  }

  @Test
  void ednUnknownTypeIsReportedAtTheKeyword() throws IOException {
    String line = "{:process 0, :type :foo, :f :read, :value nil}";
    HistoryFormatException e = readFails("type.edn", line + "\n", HistoryFormat.EDN);
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(line.indexOf(":foo") + 1);
    assertThat(e.getMessage()).endsWith("found :foo");
  }

  @Test
  void ednBadNumberIsReportedAtTheToken() throws IOException {
    String good = "{:process 0, :type :invoke, :f :write, :value 1}";
    String bad = "{:process 0, :type :ok, :f :write, :value 1, :time 12x}";
    HistoryFormatException e = readFails("number.edn", good + "\n" + bad + "\n", HistoryFormat.EDN);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(bad.indexOf("12x") + 1);
    assertThat(e.getMessage()).endsWith("expected a number, found `12x`");
  }

  @Test
  void ednUnbalancedBracketIsReportedAtTheWrongCloser() throws IOException {
    String line = "{:process 0, :type :invoke, :f :cas, :value [1 2}";
    HistoryFormatException e = readFails("bracket.edn", line + "\n", HistoryFormat.EDN);
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(line.length());
    assertThat(e.getMessage())
        .contains("expected ']' closing the vector opened at 1:45, found '}'");
  }

  @Test
  void ednVectorNeverClosedIsReportedAtTheEnd() throws IOException {
    String text = "[{:process 0, :type :invoke, :f :read, :value nil}\n ; no closer\n";
    HistoryFormatException e = readFails("open.edn", text, HistoryFormat.EDN);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage())
        .contains("']' closing the history opened at 1:1, found end of input");
  }

  @Test
  void ednLineCutShortIsReportedAtItsEnd() throws IOException {
    String good = "{:process 0, :type :invoke, :f :read, :value nil}";
    String torn = "{:process 0, :type :ok, :f :read, :va";
    HistoryFormatException e = readFails("torn.edn", good + "\n" + torn + "\n", HistoryFormat.EDN);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(torn.length() + 1);
  }

  @Test
  void ednCompletionWithoutInvocationIsReportedAtItsMap() throws IOException {
    String text =
        "[{:process 0, :type :invoke, :f :read, :value nil}\n"
            + " {:process 0, :type :ok, :f :read, :value 1}\n"
            + " {:process 0, :type :ok, :f :read, :value 1}]\n";
    HistoryFormatException e = readFails("orphan.edn", text, HistoryFormat.EDN);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(2);
  }

  @Test
  void jepsenLogUnknownTypeIsReportedAtTheField() throws IOException {
    String line = "INFO  jepsen.util - 3\t:foo\t:read\tnil";
    HistoryFormatException e =
        readFails("bad.log", "some banner\n" + line + "\n", HistoryFormat.JEPSEN_LOG);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(line.indexOf(":foo") + 1);
  }

  @Test
  void ednNegativeProcessIsRefusedRatherThanTakenForTheNemesis() throws IOException {
    String line = "{:process -1, :type :invoke, :f :read, :value nil}";
    HistoryFormatException e = readFails("negative.edn", line + "\n", HistoryFormat.EDN);
    assertThat(e.column()).isEqualTo(line.indexOf("-1") + 1);
  }

  @Test
  void porcupineKvOpWithoutKeyIsRefused() throws IOException {
    String line = "{:process 0, :type :invoke, :f :get, :value nil}";
    HistoryFormatException e = readFails("nokey.txt", line + "\n", HistoryFormat.PORCUPINE_KV);
    assertThat(e.line()).isEqualTo(1);
    assertThat(e.column()).isEqualTo(1);
  }

  @Test
  void unrecognisableContentIsReportedByDetection() throws IOException {
    Path file = dir.resolve("mystery.dat");
    Files.writeString(file, "\nhello world\n");
    HistoryFormatException e =
        catchThrowableOfType(() -> HistoryFiles.read(file), HistoryFormatException.class);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("found `hello world`");
  }
}
