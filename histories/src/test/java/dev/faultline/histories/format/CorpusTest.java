package dev.faultline.histories.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every history of the shared reference corpus reads, with as many ops as its text holds. */
class CorpusTest {
  private static final Pattern EDN_TYPE = Pattern.compile(":type\\s+:(invoke|ok|fail|info)");

  private static Path corpus(String name) {
    Path dir =
        Path.of(System.getProperty("faultline.root", "."))
            .resolve("../shared/corpus")
            .resolve(name);
    Assumptions.assumeTrue(Files.isDirectory(dir), "reference corpus not present at " + dir);
    return dir;
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void everyEtcdLogReadsWithOneOpPerJepsenLine() throws IOException {
    List<Path> logs = files(corpus("porcupine").resolve("etcd"), ".log");
    assertThat(logs).hasSizeGreaterThan(60);
    for (Path log : logs) {
      long expected =
          Files.readAllLines(log).stream().filter(l -> l.contains("jepsen.util - ")).count();
      assertThat(HistoryFormat.detect(log)).as(log.toString()).isEqualTo(HistoryFormat.JEPSEN_LOG);
      History h = HistoryFiles.read(log);
      assertThat(h.size()).as(log.toString()).isEqualTo(expected);
    }
  }

  @Test
  void timedOutInfoCompletionsCarryTheReasonAsErrorAndTheInvokedValue() throws IOException {
    Path dir = corpus("porcupine").resolve("etcd");
    int checked = 0;
    for (Path log : files(dir, ".log")) {
      History h = HistoryFiles.read(log);
      for (Call c : h.calls()) {
        if (c.outcome() == Call.Outcome.INFO && "timed-out".equals(c.completion().error())) {
          assertThat(c.completion().value()).isEqualTo(c.invoke().value());
          checked++;
        }
      }
    }
    assertThat(checked).isPositive();
  }

  @Test
  void everyPorcupineKvFileReadsWithOneOpPerLineAndAKeyOnEach() throws IOException {
    List<Path> kvs = files(corpus("porcupine").resolve("kv"), ".txt");
    assertThat(kvs).isNotEmpty();
    for (Path kv : kvs) {
      long expected = Files.readAllLines(kv).stream().filter(l -> !l.isBlank()).count();
      assertThat(HistoryFormat.detect(kv)).as(kv.toString()).isEqualTo(HistoryFormat.PORCUPINE_KV);
      History h = HistoryFiles.read(kv);
      assertThat(h.size()).as(kv.toString()).isEqualTo(expected);
      assertThat(h.ops()).allSatisfy(op -> assertThat(op.key()).isInstanceOf(String.class));
    }
  }

  @Test
  void everyKnossosFileReadsWithOneOpPerMap() throws IOException {
    List<Path> edns = files(corpus("knossos"), ".edn");
    assertThat(edns).hasSizeGreaterThan(10);
    for (Path edn : edns) {
      String text = stripComments(Files.readString(edn));
      Matcher m = EDN_TYPE.matcher(text);
      long expected = 0;
      while (m.find()) {
        expected++;
      }
      assertThat(HistoryFormat.detect(edn)).as(edn.toString()).isEqualTo(HistoryFormat.EDN);
      History h = HistoryFiles.read(edn);
      assertThat(h.size()).as(edn.toString()).isEqualTo(expected);
    }
  }

  @Test
  void aPlainCasRegisterKeepsItsPairsAsValuesNotKeys() throws IOException {
    Path dir = corpus("knossos").resolve("cas-register");
    for (Path edn : files(dir, ".edn")) {
      History h = HistoryFiles.read(edn);
      assertThat(h.ops()).as(edn.toString()).allSatisfy(op -> assertThat(op.key()).isNull());
      assertThat(h.ops().stream().filter(op -> op.f().equals("cas") && !op.isNemesis()))
          .allSatisfy(op -> assertThat(op.value()).isInstanceOf(List.class));
    }
  }

  @Test
  void multiRegisterTransactionsKeepTheirMicroOpsAsTheValue() throws IOException {
    Path file = corpus("knossos").resolve("multi-register/good/multi-register.edn");
    Assumptions.assumeTrue(Files.exists(file), "multi-register history absent");
    History h = HistoryFiles.read(file);
    Op first = h.get(0);
    assertThat(first.f()).isEqualTo("txn");
    assertThat(first.key()).isNull();
    assertThat(first.value()).isInstanceOf(List.class);
  }

  private static String stripComments(String text) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      int semi = line.indexOf(';');
      b.append(semi < 0 ? line : line.substring(0, semi)).append('\n');
    }
    return b.toString();
  }
}
