package dev.faultline.histories.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input fails with one short line naming the file, line and column: deep nesting, huge
 * numbers and tokens, bytes that are not UTF-8.
 */
class HostileHistoryTest {
  @TempDir Path dir;

  private HistoryFormatException fails(String name, byte[] content, HistoryFormat format)
      throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    HistoryFormatException e =
        catchThrowableOfType(
            () -> {
              HistoryFormat f = format == null ? HistoryFormat.detect(file) : format;
              HistoryFiles.read(file, f);
            },
            HistoryFormatException.class);
    assertThat(e).as("reading %s should fail with a located error", name).isNotNull();
    assertThat(e.getMessage())
        .startsWith(file + ":" + e.line() + ":" + e.column() + ": expected ")
        .doesNotContain("\n");
    assertThat(e.getMessage().length()).isLessThan(file.toString().length() + 400);
    return e;
  }

  private HistoryFormatException fails(String name, String content, HistoryFormat format)
      throws IOException {
    return fails(name, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), format);
  }

  @Test
  void deeplyNestedEdnIsRefusedWithoutOverflowingTheStack() throws IOException {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    HistoryFormatException whole = fails("deep.edn", deep + "\n", HistoryFormat.EDN);
    assertThat(whole.getMessage()).contains("nested at most " + EdnParser.MAX_DEPTH);
    assertThat(whole.line()).isEqualTo(1);
    // At the bracket past the limit (the whole-file vector's own bracket is not a value's).
    assertThat(whole.column()).isBetween(EdnParser.MAX_DEPTH + 1, EdnParser.MAX_DEPTH + 2);
    String op = "{:process 0, :type :invoke, :f :write, :value " + deep + "}\n";
    assertThat(fails("deepvalue.edn", op, HistoryFormat.EDN).getMessage()).contains("nested");
    String discards = "#_".repeat(5000) + "1\n";
    assertThat(fails("discards.edn", discards, HistoryFormat.EDN).getMessage()).contains("nested");
  }

  @Test
  void deeplyNestedJsonIsRefused() throws IOException {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    String line = "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":" + deep + "}\n";
    HistoryFormatException e = fails("deep.jsonl", line, HistoryFormat.JSONL);
    assertThat(e.getMessage()).contains("within the reader's limits").contains("depth");
  }

  @Test
  void aMegabyteOfDigitsIsRefusedAtOnce() throws IOException {
    String digits = "7".repeat(1 << 20);
    String edn = "{:process 0, :type :invoke, :f :write, :value " + digits + "}\n";
    HistoryFormatException e = fails("big.edn", edn, HistoryFormat.EDN);
    assertThat(e.column()).isEqualTo(edn.indexOf('7') + 1);
    assertThat(e.getMessage())
        .contains("a number of at most " + EdnParser.MAX_NUMBER_CHARS + " characters")
        .contains("one of " + (1 << 20));
    String json = "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":" + digits + "}\n";
    assertThat(fails("big.jsonl", json, HistoryFormat.JSONL).getMessage())
        .contains("Number value length (1048576) exceeds the maximum allowed (1000)");
  }

  @Test
  void aHugeBadTokenIsCutInTheMessage() throws IOException {
    String type = ":x" + "y".repeat(5 << 20);
    String edn = "{:process 0, :type " + type + ", :f :write, :value 1}\n";
    HistoryFormatException e = fails("token.edn", edn, HistoryFormat.EDN);
    assertThat(e.getMessage()).contains("xyyy").containsPattern("\\(\\d{7} characters\\)");
    String number = "12" + "x".repeat(5 << 20);
    String edn2 = "{:process 0, :type :invoke, :f :write, :value " + number + "}\n";
    assertThat(fails("number.edn", edn2, HistoryFormat.EDN).getMessage())
        .endsWith("found one of " + number.length());
  }

  @Test
  void bytesThatAreNotUtf8AreReportedAtTheirPlace() throws IOException {
    byte[] bad = {(byte) 0xC3, 0x28};
    for (String[] c :
        new String[][] {
          {
            "bad.edn",
            "{:process 0, :type :invoke, :f :write, :value \"ok\"}\n{:process 0, :type :ok, :f :write, :value \"é"
          },
          {
            "bad.jsonl",
            "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":\"ok\"}\n{\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"value\":\"é"
          },
          {
            "bad.log",
            "INFO  jepsen.util - 0\t:invoke\t:write\t\"é\"\nINFO  jepsen.util - 0\t:ok\t:write\t\""
          }
        }) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] head = c[1].getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.write(head);
      out.write(bad);
      out.write("\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String secondLine = c[1].substring(c[1].indexOf('\n') + 1);
      for (HistoryFormat given :
          new HistoryFormat[] {null, HistoryFormat.detect(write(c[0], head))}) {
        HistoryFormatException e = fails(c[0], out.toByteArray(), given);
        assertThat(e.line()).as(c[0]).isEqualTo(2);
        assertThat(e.column()).as(c[0]).isEqualTo(secondLine.length() + 1);
        assertThat(e.getMessage()).contains("expected UTF-8 text, found byte 0xC3");
      }
    }
  }

  private Path write(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }
}
