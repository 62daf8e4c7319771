package dev.faultline.histories.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EDN as Jepsen writes and reads it: independent keys as tuples, and every EDN number. */
class EdnJepsenConventionTest {
  @TempDir Path dir;

  private static History multiKey() {
    HistoryBuilder b = new HistoryBuilder();
    b.add(new Op(0, 1, 0, OpType.INVOKE, "write", "k7", 3L, null, null));
    b.add(new Op(0, 2, 1, OpType.INVOKE, "cas", 12L, List.of(1L, 2L), null, null));
    b.add(new Op(0, 3, Op.NEMESIS, OpType.INFO, "start-partition", null, null, null, null));
    b.add(new Op(0, 4, 0, OpType.OK, "write", "k7", 3L, "n2", null));
    b.add(new Op(0, 5, 1, OpType.FAIL, "cas", 12L, List.of(1L, 2L), null, null));
    b.add(new Op(0, 6, 0, OpType.INVOKE, "read", "k7", null, null, null));
    b.add(new Op(0, 7, 0, OpType.OK, "read", "k7", List.of("k7", 9L), null, null));
    return b.build();
  }

  @Test
  void keyedOpsAreWrittenAsJepsenTuplesAndReadBackExactly() throws IOException {
    Path edn = dir.resolve("h.edn");
    History h = multiKey();
    HistoryFiles.write(h, edn, HistoryFormat.EDN);
    String text = Files.readString(edn);
    assertThat(text)
        .contains(":key \"k7\", :value [\"k7\" 3]")
        .contains(":key 12, :value [12 [1 2]]")
        .contains(":value [\"k7\" nil]")
        // A value that itself looks like a tuple is wrapped like any other.
        .contains(":value [\"k7\" [\"k7\" 9]]");
    assertThat(HistoryFiles.read(edn).ops()).isEqualTo(h.ops());
  }

  @Test
  void withoutTheKeyFieldTheTuplesAloneGiveTheSameHistory() throws IOException {
    Path edn = dir.resolve("h.edn");
    HistoryFiles.write(multiKey(), edn, HistoryFormat.EDN);
    // What a Jepsen-side tool relies on: only :value, as jepsen.independent writes it.
    String tuplesOnly = Files.readString(edn).replaceAll(", :key (\"[^\"]*\"|\\d+)", "");
    assertThat(tuplesOnly).doesNotContain(":key");
    Path stripped = dir.resolve("tuples.edn");
    Files.writeString(stripped, tuplesOnly);
    History back = HistoryFiles.read(stripped);
    assertThat(back.ops())
        .extracting(Op::key)
        .containsExactly("k7", 12L, null, "k7", 12L, "k7", "k7");
    assertThat(back.ops())
        .extracting(Op::value)
        .isEqualTo(multiKey().ops().stream().map(Op::value).toList());
  }

  @Test
  void unkeyedHistoriesKeepPlainValues() throws IOException {
    HistoryBuilder b = new HistoryBuilder();
    b.add(Op.of(0, 1, 0, OpType.INVOKE, "cas", List.of(1L, 2L)));
    Path edn = dir.resolve("r.edn");
    HistoryFiles.write(b.build(), edn, HistoryFormat.EDN);
    assertThat(Files.readString(edn)).contains(":value [1 2]}").doesNotContain(":key");
  }

  @Test
  void anUnkeyedValueShapedLikeATupleIsNotSplitOnTheWayBack() throws IOException {
    HistoryBuilder b = new HistoryBuilder();
    b.add(Op.of(0, 1, 0, OpType.INVOKE, "read", java.util.Arrays.asList(0L, null)));
    b.add(Op.of(0, 2, 0, OpType.OK, "read", List.of("k", 4L)));
    History h = b.build();
    Path edn = dir.resolve("t.edn");
    HistoryFiles.write(h, edn, HistoryFormat.EDN);
    assertThat(Files.readString(edn)).contains(":key nil, :value [0 nil]");
    assertThat(HistoryFiles.read(edn).ops()).isEqualTo(h.ops());
  }

  @Test
  void ratiosAndOtherEdnNumbersAreRead() throws IOException {
    Path edn = dir.resolve("n.edn");
    Files.writeString(
        edn,
        "[{:process 0, :type :invoke, :f :write, :value [3/2 6/3 -1/4 12N 1.5M 1e3 -2.5E-1 +7"
            + " 123456789012345678901234567890N 99999999999999999999/3 ##Inf ##-Inf]}]\n");
    History h = HistoryFiles.read(edn);
    @SuppressWarnings("unchecked")
    List<Object> v = (List<Object>) h.get(0).value();
    assertThat(v)
        .containsExactly(
            1.5,
            2L,
            -0.25,
            12L,
            1.5,
            1000.0,
            -0.25,
            7L,
            new BigInteger("123456789012345678901234567890"),
            new BigInteger("33333333333333333333"),
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY);
  }

  @Test
  void aRatioWithAZeroDenominatorIsRefusedAtItsPlace() throws IOException {
    Path edn = dir.resolve("z.edn");
    String line = "{:process 0, :type :invoke, :f :write, :value 1/0}";
    Files.writeString(edn, line + "\n");
    HistoryFormatException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> HistoryFiles.read(edn, HistoryFormat.EDN), HistoryFormatException.class);
    assertThat(e.column()).isEqualTo(line.indexOf("1/0") + 1);
    assertThat(e.getMessage()).contains("expected a number, found `1/0`");
  }
}
