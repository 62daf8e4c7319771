package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.checker.model.KvModel;
import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faultline's EDN read as Jepsen reads it, and results.edn in Jepsen's shape. */
class JepsenConventionTest {
  @TempDir Path dir;

  private static CheckResult check(History h) {
    return Checker.check(
        h,
        CheckOptions.defaults()
            .withModel(KvModel.create())
            .withThreads(1)
            .withTimeout(Duration.ofSeconds(60)));
  }

  @Test
  void tupleConventionGivesTheSameVerdict() throws Exception {
    for (boolean bad : new boolean[] {false, true}) {
      History h = AppendKvHistory.generate(AppendKvHistory.Shape.clients50(4, 5, bad));
      Path edn = dir.resolve("h.edn");
      HistoryFiles.write(h, edn, HistoryFormat.EDN);
      // Only the tuples, as jepsen.independent has them: no :key field.
      Path tuples = dir.resolve("tuples.edn");
      Files.writeString(tuples, Files.readString(edn).replaceAll(", :key \"[^\"]*\"", ""));
      CheckResult ours = check(h);
      CheckResult theirs = check(HistoryFiles.read(tuples));
      assertThat(theirs.verdict()).isEqualTo(ours.verdict());
      assertThat(theirs.keys()).hasSameSizeAs(ours.keys());
      assertThat(theirs.firstInvalid().map(KeyResult::key))
          .isEqualTo(ours.firstInvalid().map(KeyResult::key));
    }
  }

  @Test
  void resultsEdnHasJepsensShape() throws Exception {
    History bad = AppendKvHistory.generate(AppendKvHistory.Shape.clients50(1, 0, true));
    CheckResult r =
        Checker.check(
            bad,
            CheckOptions.defaults()
                .withModel(KvModel.create())
                .withThreads(1)
                .withStopAtFirstInvalid(false));
    String invalidKey = (String) r.firstInvalid().orElseThrow().key();
    Path file = dir.resolve("results.edn");
    ResultsEdn.write(r, file);
    String text = Files.readString(file);
    assertThat(text)
        .startsWith("{:valid? false,")
        .contains(":failures [\"" + invalidKey + "\"]")
        .contains(":results {")
        .contains("\"" + invalidKey + "\" {:valid? false, :op {:index ")
        .contains(":configs [{:model ")
        .contains(":cause [");
    CheckResult valid =
        check(AppendKvHistory.generate(AppendKvHistory.Shape.clients50(1, 0, false)));
    assertThat(ResultsEdn.text(valid)).startsWith("{:valid? true,").contains(":failures []");
    CheckResult stopped = check(bad);
    assertThat(ResultsEdn.text(stopped)).contains("{:valid? :unknown, :error \"not checked: ");
  }
}
