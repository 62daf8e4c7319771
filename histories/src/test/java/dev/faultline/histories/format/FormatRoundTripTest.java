package dev.faultline.histories.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.histories.Values;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/** Histories with typed values survive JSON Lines to EDN and back unchanged. */
class FormatRoundTripTest {
  private Path dir;

  @BeforeTry
  void makeDir() throws IOException {
    dir = Files.createTempDirectory("roundtrip");
  }

  @AfterTry
  void removeDir() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  @Property(tries = 200)
  void jsonLinesToEdnToJsonLinesIsExact(@ForAll("histories") History h) throws IOException {
    Path jsonl = dir.resolve("h.jsonl");
    Path edn = dir.resolve("h.edn");
    Path again = dir.resolve("again.jsonl");

    HistoryFiles.write(h, jsonl, HistoryFormat.JSONL);
    History fromJson = HistoryFiles.read(jsonl);
    assertThat(fromJson.ops()).isEqualTo(h.ops());

    HistoryFiles.write(fromJson, edn, HistoryFormat.EDN);
    History fromEdn = HistoryFiles.read(edn);
    assertThat(fromEdn.ops()).isEqualTo(h.ops());

    HistoryFiles.write(fromEdn, again, HistoryFormat.JSONL);
    assertThat(Files.readString(again)).isEqualTo(Files.readString(jsonl));
  }

  /** One thing a process or the nemesis does next; folded into a well-paired history. */
  record Step(
      int process,
      String f,
      Object key,
      Object value,
      Object result,
      OpType end,
      String node,
      String error) {}

  @Provide
  Arbitrary<History> histories() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.integers().between(-1, 4),
                Arbitraries.of("read", "write", "cas", "append", "start-partition", "odd f"),
                keys(),
                values(),
                values(),
                Arbitraries.of(OpType.OK, OpType.FAIL, OpType.INFO),
                Arbitraries.of("n1", "n2", "n3").injectNull(0.5),
                Arbitraries.of("timeout", "no-leader", "a \"quoted\" reason").injectNull(0.7))
            .as(Step::new);
    return Combinators.combine(step.list().ofMaxSize(40), Arbitraries.of(true, false))
        .as(FormatRoundTripTest::fold);
  }

  private static History fold(List<Step> steps, boolean timed) {
    List<Op> ops = new ArrayList<>();
    Map<Integer, Op> open = new HashMap<>();
    long time = 0;
    for (Step s : steps) {
      time += 17;
      long t = timed ? time : Op.NO_TIME;
      if (s.process() < 0) {
        ops.add(new Op(0, t, Op.NEMESIS, OpType.INFO, s.f(), null, s.value(), null, null));
        continue;
      }
      Op inv = open.remove(s.process());
      if (inv == null) {
        inv = new Op(0, t, s.process(), OpType.INVOKE, s.f(), s.key(), s.value(), null, null);
        open.put(s.process(), inv);
        ops.add(inv);
      } else {
        ops.add(
            new Op(
                0, t, s.process(), s.end(), inv.f(), inv.key(), s.result(), s.node(), s.error()));
      }
    }
    return History.of(ops);
  }

  private static Arbitrary<Object> keys() {
    return Arbitraries.oneOf(
            Arbitraries.longs().between(0, 1000).map(Object.class::cast),
            Arbitraries.strings()
                .alpha()
                .numeric()
                .ofMinLength(1)
                .ofMaxLength(4)
                .map(Object.class::cast))
        .injectNull(0.3);
  }

  private static Arbitrary<Object> values() {
    return Arbitraries.recursive(
        FormatRoundTripTest::scalars,
        inner ->
            Arbitraries.oneOf(
                inner.list().ofMaxSize(3).map(Values::normalize),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(3), inner)
                    .ofMaxSize(3)
                    .map(Values::normalize)),
        0,
        2);
  }

  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.just(null),
        Arbitraries.longs().map(Object.class::cast),
        Arbitraries.bigIntegers()
            .between(BigInteger.ONE, BigInteger.TEN.pow(30))
            .map(b -> (Object) b.add(BigInteger.valueOf(Long.MAX_VALUE))),
        Arbitraries.doubles().map(Object.class::cast),
        Arbitraries.of(true, false).map(Object.class::cast),
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars('\n', '\t', '"', '\\', 'é', '✓', ':')
            .ofMaxLength(8)
            .map(Object.class::cast));
  }
}
