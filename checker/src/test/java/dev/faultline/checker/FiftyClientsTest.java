package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.checker.model.KvModel;
import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Porcupine-shaped kv histories at 50 clients (10 keys, 1,700 appends and gets): each is decided,
 * with the verdict it was built to have, in a small number of search steps. Before reads on
 * append-only keys pruned the search, the valid ones took millions of steps per key and ended
 * unknown.
 */
class FiftyClientsTest {
  private static final Path CORPUS =
      Path.of(System.getProperty("faultline.root", "..")).resolve("histories/corpus/c50");

  // Far above what these histories need (a few thousand steps per key), far below what the
  // search took without the pruning (millions per key before the budget ran out).
  private static final long STEP_LIMIT = 200_000;

  private static CheckOptions options() {
    return CheckOptions.defaults()
        .withModel(KvModel.create())
        .withThreads(1)
        .withTimeout(Duration.ofSeconds(60))
        .withStopAtFirstInvalid(false);
  }

  private static void decides(History h, boolean linearizable, String name) {
    CheckResult r = Checker.check(h, options());
    assertThat(r.verdict())
        .as("%s: %s", name, r.reason())
        .isEqualTo(linearizable ? Verdict.VALID : Verdict.INVALID);
    long steps = 0;
    for (KeyResult k : r.keys()) {
      assertThat(k.verdict()).as("%s key %s", name, k.key()).isNotEqualTo(Verdict.UNKNOWN);
      steps += k.steps();
    }
    assertThat(steps).as("%s: search steps", name).isLessThan(STEP_LIMIT);
    if (!linearizable) {
      assertThat(r.keys().stream().filter(k -> k.verdict() == Verdict.INVALID)).hasSize(1);
    }
  }

  @TestFactory
  Stream<DynamicTest> generatedHistoriesAreDecided() {
    List<DynamicTest> tests = new ArrayList<>();
    for (long seed = 1; seed <= 6; seed++) {
      for (int info : new int[] {0, 5}) {
        for (boolean bad : new boolean[] {false, true}) {
          AppendKvHistory.Shape shape = AppendKvHistory.Shape.clients50(seed, info, bad);
          tests.add(
              DynamicTest.dynamicTest(
                  shape.name(),
                  () -> {
                    History h = AppendKvHistory.generate(shape);
                    assertThat(h.calls()).hasSize(1700);
                    decides(h, !bad, shape.name());
                  }));
        }
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> corpusHistoriesAreTheGeneratorsAndGetTheirVerdicts() throws IOException {
    Assumptions.assumeTrue(
        Files.isDirectory(CORPUS), "corpus folder " + CORPUS + " is absent; skipping it");
    List<DynamicTest> tests = new ArrayList<>();
    for (String line : Files.readAllLines(CORPUS.resolve("expected.tsv"))) {
      String[] cols = line.split("\t");
      if (cols[0].equals("file")) {
        continue;
      }
      tests.add(
          DynamicTest.dynamicTest(
              cols[0],
              () -> {
                History h = HistoryFiles.read(CORPUS.resolve(cols[0]));
                // The file is the generator's output for the shape its name gives.
                String name = cols[0].replace(".jsonl", "");
                AppendKvHistory.Shape shape =
                    AppendKvHistory.Shape.clients50(
                        Long.parseLong(name.substring(name.lastIndexOf("-s") + 2)),
                        name.contains("-info5") ? 5 : 0,
                        name.contains("-bad"));
                assertThat(shape.name()).isEqualTo(name);
                assertThat(h.ops()).isEqualTo(AppendKvHistory.generate(shape).ops());
                decides(h, Boolean.parseBoolean(cols[2]), name);
              }));
    }
    return tests.stream();
  }
}
