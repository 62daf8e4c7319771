package dev.faultline.histories.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.histories.History;
import dev.faultline.histories.Keyword;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How each format's text maps onto op fields, and how files are detected and written. */
class HistoryFilesTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void jsonLinesIgnoresUnknownFieldsAndReindexesDensely() throws IOException {
    Path p =
        file(
            "h.jsonl",
            "{\"index\":7,\"time\":5,\"process\":2,\"type\":\"invoke\",\"f\":\"write\",\"key\":3,"
                + "\"value\":{\"a\":[1,2.5,\"x\",true,null]},\"extra\":{\"deep\":[1]}}\n"
                + "\n"
                + "{\"index\":9,\"process\":\"nemesis\",\"type\":\"info\",\"f\":\"kill\",\"value\":null}\n"
                + "{\"index\":3,\"process\":2,\"type\":\"ok\",\"f\":\"write\",\"value\":123456789012345678901234567890,\"node\":\"n1\"}\n");
    History h = HistoryFiles.read(p);
    assertThat(h.ops()).extracting(Op::index).containsExactly(0, 1, 2);
    Op inv = h.get(0);
    assertThat(inv.time()).isEqualTo(5);
    assertThat(inv.key()).isEqualTo(3L);
    assertThat(inv.value())
        .isEqualTo(Map.of("a", java.util.Arrays.asList(1L, 2.5, "x", true, null)));
    assertThat(h.get(1).isNemesis()).isTrue();
    assertThat(h.get(1).hasTime()).isFalse();
    Op done = h.get(2);
    assertThat(done.value()).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(done.key()).as("a completion inherits its invocation's key").isEqualTo(3L);
    assertThat(h.completionOf(0)).isEqualTo(done);
  }

  @Test
  void jsonLinesAcceptsCrLfAndAMissingFinalNewline() throws IOException {
    String inv = "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}";
    String ok = "{\"process\":0,\"type\":\"ok\",\"f\":\"read\",\"value\":\"ü\"}";
    History h = HistoryFiles.read(file("crlf.jsonl", inv + "\r\n  \r\n" + ok));
    assertThat(h.size()).isEqualTo(2);
    assertThat(h.get(1).value()).isEqualTo("ü");
  }

  @Test
  void jsonLinesLongerThanTheReadBufferAreRead() throws IOException {
    String big = "x".repeat(200_000);
    String inv = "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":\"" + big + "\"}";
    History h =
        HistoryFiles.read(file("big.jsonl", inv + "\n" + inv.replace("invoke", "ok") + "\n"));
    assertThat(h.size()).isEqualTo(2);
    assertThat(h.get(1).value()).isEqualTo(big);
  }

  @Test
  void ednReadsCommentsDiscardsTagsSetsAndBigIntegers() throws IOException {
    Path p =
        file(
            "h.edn",
            "; a history\n"
                + "[{:process 0, :type :invoke, :f :add, :value #{1 2}, :time 3, #_ :ignored #_ 1}\n"
                + " {:process 0 :type :ok :f :add :value (1 2) :at #inst \"2020-01-01\" :error :slow}\n"
                + " {:process :nemesis, :type :info, :f :start, :value \"a\\tb\\u0041\"}\n"
                + " {:process 1, :type :invoke, :f :read, :value 18446744073709551616N}\n"
                + " {:process 1, :type :fail, :f :read, :value -1.5e3}]\n");
    History h = HistoryFiles.read(p);
    assertThat(h.size()).isEqualTo(5);
    assertThat(h.get(0).value()).isEqualTo(List.of(1L, 2L));
    assertThat(h.get(0).time()).isEqualTo(3);
    assertThat(h.get(1).error()).isEqualTo("slow");
    assertThat(h.get(2).isNemesis()).isTrue();
    assertThat(h.get(2).value()).isEqualTo("a\tbA");
    assertThat(h.get(3).value()).isEqualTo(BigInteger.TWO.pow(64));
    assertThat(h.get(4).value()).isEqualTo(-1500.0);
  }

  @Test
  void ednIndependentTuplesBecomeKeyAndValue() throws IOException {
    Path p =
        file(
            "independent.edn",
            "{:process 0, :type :invoke, :f :cas, :value [7 [1 2]]}\n"
                + "{:process 0, :type :ok, :f :cas, :value [7 [1 2]]}\n"
                + "{:process :nemesis, :type :info, :f :start, :value nil}\n"
                + "{:process 1, :type :invoke, :f :read, :value [8 nil]}\n"
                + "{:process 1, :type :ok, :f :read, :value [8 3]}\n");
    History h = HistoryFiles.read(p);
    assertThat(h.get(0).key()).isEqualTo(7L);
    assertThat(h.get(0).value()).isEqualTo(List.of(1L, 2L));
    assertThat(h.get(4).key()).isEqualTo(8L);
    assertThat(h.get(4).value()).isEqualTo(3L);
    assertThat(h.byKey()).containsOnlyKeys(7L, 8L);
  }

  @Test
  void ednCasRegisterPairsStayValues() throws IOException {
    Path p =
        file(
            "register.edn",
            "{:process 0, :type :invoke, :f :cas, :value [1 2]}\n"
                + "{:process 0, :type :fail, :f :cas, :value [1 2]}\n"
                + "{:process 1, :type :invoke, :f :write, :value [3 4]}\n");
    History h = HistoryFiles.read(p);
    assertThat(h.ops()).allSatisfy(op -> assertThat(op.key()).isNull());
    assertThat(h.get(0).value()).isEqualTo(List.of(1L, 2L));
  }

  @Test
  void jepsenLogTimedOutInfoTakesTheInvokedValueAndNemesisLinesAreEvents() throws IOException {
    Path p =
        file(
            "jepsen.log",
            "2017-01-01 INFO  jepsen.core - Running test\n"
                + "INFO  jepsen.util - 3\t:invoke\t:cas\t[1 2]\n"
                + "INFO  jepsen.util - :nemesis\t:info\t:start\tnil\n"
                + "INFO  jepsen.util - 3\t:info\t:cas\t:timed-out\n");
    assertThat(HistoryFormat.detect(p)).isEqualTo(HistoryFormat.JEPSEN_LOG);
    History h = HistoryFiles.read(p);
    assertThat(h.size()).isEqualTo(3);
    assertThat(h.get(1).isNemesis()).isTrue();
    Op info = h.get(2);
    assertThat(info.type()).isEqualTo(OpType.INFO);
    assertThat(info.error()).isEqualTo("timed-out");
    assertThat(info.value()).isEqualTo(List.of(1L, 2L));
  }

  @Test
  void detectionLooksAtContentNotTheExtension() throws IOException {
    String jsonl = "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"value\":null}\n";
    String edn = "\n  {:process 0, :type :invoke, :f :read, :value nil}\n";
    String kv = "{:process 0, :type :invoke, :f :get, :key \"1\", :value nil}\n";
    assertThat(HistoryFormat.detect(file("a.edn", jsonl))).isEqualTo(HistoryFormat.JSONL);
    assertThat(HistoryFormat.detect(file("b.jsonl", edn))).isEqualTo(HistoryFormat.EDN);
    assertThat(HistoryFormat.detect(file("c.jsonl", kv))).isEqualTo(HistoryFormat.PORCUPINE_KV);
    assertThat(HistoryFormat.detect(file("d.txt", "[{:process 0}]"))).isEqualTo(HistoryFormat.EDN);
    assertThat(HistoryFiles.read(file("empty.jsonl", "")).size()).isZero();
  }

  @Test
  void aFailedWriteLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
    Path target = file("out.jsonl", "previous\n");
    List<Op> ops =
        List.of(
            Op.of(0, 1, 0, OpType.INVOKE, "write", 1L),
            Op.of(1, 2, 0, OpType.OK, "write", Double.NaN));
    assertThatThrownBy(() -> HistoryFiles.write(ops, target, HistoryFormat.JSONL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Files.readString(target)).isEqualTo("previous\n");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void keywordValuesBecomeColonStringsInJsonLines() throws IOException {
    Path edn = file("k.edn", "{:process 0, :type :invoke, :f :read, :value :absent}\n");
    History h = HistoryFiles.read(edn);
    assertThat(h.get(0).value()).isEqualTo(new Keyword("absent"));
    Path jsonl = dir.resolve("k.jsonl");
    HistoryFiles.write(h, jsonl, HistoryFormat.JSONL);
    assertThat(Files.readString(jsonl)).contains("\"value\":\":absent\"");
  }
}
