package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.checker.model.Models;
import dev.faultline.checker.model.UnsupportedModelException;
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

/** Every reference history of the shared corpus gets the verdict its authors established. */
class CorpusTest {
  private static final Path CORPUS =
      Path.of(System.getProperty("faultline.root", ".")).resolve("../shared/corpus");

  record Expected(Path file, String model, boolean linearizable) {}

  static List<Expected> expected(String folder) throws IOException {
    Path dir = CORPUS.resolve(folder);
    Assumptions.assumeTrue(
        Files.isDirectory(dir), "corpus folder " + dir + " is absent; skipping its histories");
    List<Expected> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("expected.tsv"))) {
      String[] cols = line.split("\t");
      if (cols.length < 3 || cols[0].equals("file")) {
        continue;
      }
      out.add(new Expected(dir.resolve(cols[0]), cols[1], Boolean.parseBoolean(cols[2])));
    }
    return out;
  }

  private static Stream<DynamicTest> verdicts(String folder) throws IOException {
    return expected(folder).stream()
        .filter(e -> !e.model().equals("multi-register"))
        .map(
            e ->
                DynamicTest.dynamicTest(
                    folder + "/" + CORPUS.resolve(folder).relativize(e.file()),
                    () -> {
                      History h = HistoryFiles.read(e.file());
                      CheckResult r =
                          Checker.check(
                              h,
                              CheckOptions.defaults()
                                  .withModel(Models.named(e.model()))
                                  .withTimeout(Duration.ofSeconds(60)));
                      assertThat(r.verdict())
                          .as("%s: %s", e.file(), r.reason())
                          .isEqualTo(e.linearizable() ? Verdict.VALID : Verdict.INVALID);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> porcupineHistoriesGetTheirExpectedVerdicts() throws IOException {
    return verdicts("porcupine");
  }

  @TestFactory
  Stream<DynamicTest> knossosHistoriesGetTheirExpectedVerdicts() throws IOException {
    return verdicts("knossos");
  }

  @TestFactory
  Stream<DynamicTest> knossosMultiRegisterIsReportedAsUnsupported() throws IOException {
    return expected("knossos").stream()
        .filter(e -> e.model().equals("multi-register"))
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.file().getFileName().toString(),
                    () -> {
                      History h = HistoryFiles.read(e.file());
                      assertThatThrownBy(() -> Checker.check(h, CheckOptions.defaults()))
                          .isInstanceOf(UnsupportedModelException.class)
                          .hasMessageContaining("model not supported")
                          .hasMessageContaining("txn");
                    }));
  }
}
