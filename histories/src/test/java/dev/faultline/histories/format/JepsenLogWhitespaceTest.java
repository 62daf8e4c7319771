package dev.faultline.histories.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jepsen's log lines are read whatever whitespace separates their fields. */
class JepsenLogWhitespaceTest {
  @TempDir Path dir;

  private History read(String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return HistoryFiles.read(p, HistoryFormat.JEPSEN_LOG);
  }

  private static void isTheCasHistory(History h) {
    assertThat(h.size()).isEqualTo(4);
    assertThat(h.ops())
        .extracting(Op::process, Op::type, Op::f)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3L, OpType.INVOKE, "cas"),
            org.assertj.core.groups.Tuple.tuple(Op.NEMESIS, OpType.INFO, "start"),
            org.assertj.core.groups.Tuple.tuple(3L, OpType.OK, "cas"),
            org.assertj.core.groups.Tuple.tuple(12L, OpType.INVOKE, "read"));
    assertThat(h.get(0).value()).isEqualTo(List.of(1L, 2L));
    assertThat(h.get(2).value()).isEqualTo(List.of(1L, 2L));
    assertThat(h.get(3).value()).isNull();
  }

  @Test
  void tabSeparatedFieldsAreRead() throws IOException {
    isTheCasHistory(
        read(
            "tabs.log",
            "INFO  jepsen.util - 3\t:invoke\t:cas\t[1 2]",
            "INFO  jepsen.util - :nemesis\t:info\t:start\tnil",
            "INFO  jepsen.util - 3\t:ok\t:cas\t[1 2]",
            "INFO  jepsen.util - 12\t:invoke\t:read\tnil"));
  }

  @Test
  void spaceSeparatedFieldsAreRead() throws IOException {
    isTheCasHistory(
        read(
            "spaces.log",
            "2017-01-01 12:00:00,001{GMT}\tINFO\t[jepsen worker 3] jepsen.util - 3 :invoke :cas [1 2]",
            "INFO  jepsen.util - :nemesis :info :start nil",
            "INFO  jepsen.util - 3    :ok      :cas     [1 2]",
            "INFO  jepsen.util - 12   :invoke  :read    nil"));
  }

  @Test
  void mixedSeparatorsAndTrailingWhitespaceAreRead() throws IOException {
    isTheCasHistory(
        read(
            "mixed.log",
            "INFO  jepsen.util - 3 \t :invoke\t\t:cas  \t[1   2]  ",
            "INFO  jepsen.util - :nemesis\t :info :start\t nil\t",
            "INFO  jepsen.util - 3\t  :ok :cas\t[1 2]",
            "INFO  jepsen.util - 12 :invoke\t:read"));
  }

  @Test
  void aLineWithTooFewFieldsNamesItsPlace() throws IOException {
    Path p = dir.resolve("short.log");
    String line = "INFO  jepsen.util - 3  :invoke";
    Files.writeString(p, "banner\n" + line + "\n");
    HistoryFormatException e =
        catchThrowableOfType(
            () -> HistoryFiles.read(p, HistoryFormat.JEPSEN_LOG), HistoryFormatException.class);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("separated by whitespace").contains("found 2 fields");
  }
}
