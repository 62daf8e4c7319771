package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import dev.faultline.testbed.serve.RunSummary;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunResultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** A copy of the checked-in run whose results.json is schema faultline-test/1. */
  private Path oldRun() throws IOException, URISyntaxException {
    Path fixture =
        Path.of(getClass().getResource("/results-v1/kv-partition/20260101T000000.000Z").toURI());
    Path dir = Files.createDirectories(tmp.resolve("kv-partition/20260101T000000.000Z"));
    try (Stream<Path> files = Files.list(fixture)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    return dir;
  }

  @Test
  void aSchemaOneResultsJsonStillOpensInTheReport() throws Exception {
    Path dir = oldRun();
    ReportWriter.Written w = ReportWriter.write(dir);
    assertThat(w.verdict()).isEqualTo("invalid");
    RunDirectory.Contents run = RunDirectory.read(dir);
    assertThat(run.problems()).isEmpty();
    assertThat(run.results().schema()).isEqualTo(RunResults.SCHEMA_1);
    assertThat(run.results().ops().byFunction().get("read"))
        .isEqualTo(new RunResults.Tally(2L, 1, 0, 0, 1));
    Banner banner = Banner.of(run.results(), run.history());
    assertThat(banner.culprit()).isEqualTo(2);
    assertThat(banner.details().get(0))
        .startsWith("The write of 2 to key \"k1\"")
        .contains("It returned 1 instead")
        .contains("answered by n2");
    assertThat(Files.readString(w.report())).contains("data-verdict=\"invalid\"");
  }

  @Test
  void aSchemaOneResultsJsonStillOpensInServe() throws Exception {
    RunSummary s = RunSummary.read(oldRun());
    assertThat(s.verdict()).isEqualTo("invalid");
    assertThat(s.ops()).isEqualTo(3L);
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void whatTheRunnerWritesIsWhatTheReportReads() throws Exception {
    History h = HistoryFiles.read(oldRun().resolve(RunDirectory.HISTORY), HistoryFormat.JSONL);
    RunResults written =
        new RunResults(
            RunResults.SCHEMA,
            "valid",
            0,
            null,
            false,
            List.of("a warning"),
            7L,
            "kv",
            "partition",
            null,
            3,
            JSON.valueToTree(Map.of("name", "faultline")),
            "namespaces",
            "2026-01-01T00:00:00Z",
            "2026-01-01T00:00:01Z",
            1.0,
            RunResults.Ops.of(FunctionStats.of(h)),
            JSON.valueToTree(Availability.of(h).toMap()),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of("k9"),
            JSON.createObjectNode(),
            null,
            new RunResults.Analysis(true, "fine", JSON.createObjectNode()),
            JSON.readTree(
                "{\"origin\":\"2026-01-01T00:00:00.250Z\",\"events\":"
                    + "[{\"event\":\"nodes launched\",\"at_s\":-0.2}],\"phases_s\":{}}"));
    JsonNode tree = JSON.readTree(JSON.writeValueAsBytes(written));
    assertThat(tree.path("ops").path("by_f").path("read").path("calls").asLong()).isEqualTo(2);
    RunResults read = RunResults.of(tree);
    // Numbers in the free-form parts come back as JSON's own (int for long), so compare as JSON.
    assertThat(JSON.readTree(JSON.writeValueAsBytes(read))).isEqualTo(tree);
    assertThat(read.ops()).isEqualTo(written.ops());
    assertThat(read.unreadKeys()).containsExactly("k9");
    assertThat(read.workloadAnalysis().summary()).isEqualTo("fine");
    assertThat(read.ops().stats()).isEqualTo(FunctionStats.of(h));
    assertThat(read.timeOrigin()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00.250Z"));
  }

  @Test
  void aRunWrittenBeforeTheTimelineHasNoTimeOriginOfItsOwn() throws Exception {
    RunResults old = RunDirectory.read(oldRun()).results();
    assertThat(old.timeline()).isNull();
    assertThat(old.timeOrigin()).isNull();
  }

  @Test
  void theCheckersOwnResultsReadAsAVerdictAndACheck() throws IOException {
    RunResults r =
        RunResults.of(
            JSON.readTree(
                "{\"schema\":\"faultline-check/1\",\"verdict\":\"valid\",\"model\":\"register\","
                    + "\"ops\":12,\"reason\":null,\"keys\":[]}"));
    assertThat(r.verdict()).isEqualTo("valid");
    assertThat(r.ops().total()).isEqualTo(12);
    assertThat(r.model()).isEqualTo("register");
    assertThat(r.counterexampleKey()).isNull();
  }

  @Test
  void aResultsJsonInNoKnownSchemaIsRefusedNamingTheSchemas() throws IOException {
    assertThatThrownBy(() -> RunResults.of(JSON.readTree("{\"verdict\":\"valid\",\"ops\":3}")))
        .hasMessage(
            "results.json has no schema field; this version reads faultline-test/2,"
                + " faultline-test/1, faultline-check/1");
    assertThatThrownBy(() -> RunResults.of(JSON.readTree("{\"schema\":\"faultline-test/9\"}")))
        .hasMessageStartingWith("results.json has schema faultline-test/9;");
    Path dir = Files.createDirectories(tmp.resolve("x/1"));
    Files.writeString(dir.resolve(RunDirectory.RESULTS), "{\"verdict\":\"valid\"}");
    assertThat(RunDirectory.read(dir).problems())
        .anyMatch(
            p ->
                p.endsWith(
                    "results.json has no schema field; this version reads"
                        + " faultline-test/2, faultline-test/1, faultline-check/1"));
  }
}
