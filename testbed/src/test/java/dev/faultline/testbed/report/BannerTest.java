package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.checker.CheckOptions;
import dev.faultline.checker.Checker;
import dev.faultline.checker.ResultsJson;
import dev.faultline.histories.History;
import dev.faultline.histories.OpType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BannerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode check(History h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResultsJson.write(
        Checker.check(h, CheckOptions.defaults().withTimeout(Duration.ofSeconds(30))), out);
    return JSON.readTree(out.toByteArray());
  }

  @Test
  void anInvalidRunNamesTheStaleReadAndTheWriteItMissed() throws IOException {
    History h =
        new Ops()
            .invoke(0, 0, "write", 4L)
            .complete(1, 0, OpType.OK, "write", 4L)
            .invoke(2, 0, "write", 5L)
            .complete(3, 0, OpType.OK, "write", 5L)
            .invoke(4, 1, "read", null)
            .complete(5, 1, OpType.OK, "read", 4L)
            .build();
    Banner b = Banner.of(RunResults.of(check(h)), h);
    assertThat(b.verdict()).isEqualTo("invalid");
    assertThat(b.culprit()).isEqualTo(4);
    assertThat(b.headline()).startsWith("Invalid:");
    assertThat(b.details().get(0))
        .startsWith(
            "A read of key \"x\" on n1 returned 4 after a write of 5 had been acknowledged by n1"
                + " (op #3)")
        .contains("process 1, op #4 completed at #5");
  }

  @Test
  void aValidRunSaysWhatValidMeansAndCountsTheOps() throws IOException {
    History h = new Ops().invoke(0, 0, "write", 1L).complete(1, 0, OpType.OK, "write", 1L).build();
    Banner b = Banner.of(RunResults.of(check(h)), h);
    assertThat(b.verdict()).isEqualTo("valid");
    assertThat(b.headline()).startsWith("Valid:").contains("among 1 operations");
    assertThat(b.culprit()).isEqualTo(-1);
  }

  @Test
  void anUnknownRunGivesTheCheckersReason() throws IOException {
    JsonNode r =
        JSON.readTree(
            "{\"schema\":\"faultline-check/1\",\"verdict\":\"unknown\",\"reason\":\"time budget of 1s spent\"}");
    Banner b = Banner.of(RunResults.of(r), null);
    assertThat(b.verdict()).isEqualTo("unknown");
    assertThat(b.details()).contains("Why: time budget of 1s spent.");
  }

  @Test
  void missingResultsMeanNoVerdict() {
    Banner b = Banner.of(null, null);
    assertThat(b.verdict()).isEqualTo("none");
    assertThat(b.headline()).contains("results.json is missing");
  }

  @Test
  void aCheckerResultNestedByTheRunnerIsFound() throws IOException {
    JsonNode r =
        JSON.readTree(
            "{\"schema\":\"faultline-test/1\",\"verdict\":\"invalid\",\"check\":{\"keys\":[{\"key\":\"k1\",\"counterexample\":"
                + "{\"culprit\":{\"op\":9,\"completion\":10,\"does\":\"read 3\"},"
                + "\"states\":[\"7\"]}}]}}");
    Banner b = Banner.of(RunResults.of(r), null);
    assertThat(b.culprit()).isEqualTo(9);
    assertThat(b.details().get(0))
        .isEqualTo(
            "Op #9 (read 3) on key k1 cannot take effect anywhere between its invocation and its"
                + " completion; at that point the key could only have been 7.");
  }

  @Test
  void aFailedRunSaysTheRunItselfFailedAndWhy() throws IOException {
    JsonNode r =
        JSON.readTree(
            "{\"schema\":\"faultline-test/2\",\"verdict\":\"failed\",\"error\":\"no leader within 30 s\"}");
    Banner b = Banner.of(RunResults.of(r), null);
    assertThat(b.verdict()).isEqualTo("failed");
    assertThat(b.headline()).startsWith("Failed: the run itself");
    assertThat(b.details()).contains("Why: no leader within 30 s");
  }

  @Test
  void anInvalidSetRunWithoutCounterexampleGivesTheWorkloadsAnalysis() throws IOException {
    JsonNode r =
        JSON.readTree(
            "{\"schema\":\"faultline-test/2\",\"verdict\":\"invalid\",\"check\":null,"
                + "\"workload_analysis\":{\"valid\":false,\"summary\":\"2 acknowledged adds lost\"}}");
    assertThat(Banner.of(RunResults.of(r), null).details().get(0))
        .isEqualTo("The workload's own analysis failed: 2 acknowledged adds lost");
  }

  @Test
  void aCommandLineListIsJoinedSoAShellReadsItBack() throws IOException {
    JsonNode t =
        JSON.readTree("{\"command_line\":[\"faultline\",\"test\",\"--nemesis\",\"a b\",\"it's\"]}");
    assertThat(JsonPaths.commandLine(t, "command_line"))
        .isEqualTo("faultline test --nemesis 'a b' 'it'\\''s'");
    JsonNode args = JSON.readTree("{\"command_line\":[\"test\",\"--seed\",\"1\"]}");
    assertThat(JsonPaths.commandLine(args, "command_line")).isEqualTo("faultline test --seed 1");
  }

  @Test
  void warningsInResultsJsonComeWithTheVerdict() throws Exception {
    var r =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                "{\"schema\":\"faultline-test/2\",\"verdict\":\"valid\",\"warnings\":[\"1 node never came back and did not"
                    + " serve at the end: n2 (exited with code 3)\"]}");
    Banner b = Banner.of(RunResults.of(r), null);
    assertThat(b.verdict()).isEqualTo("valid");
    assertThat(b.warnings())
        .containsExactly(
            "1 node never came back and did not serve at the end: n2 (exited with code 3)");
    assertThat(
            Banner.of(
                    RunResults.of(
                        new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree("{\"schema\":\"faultline-test/2\",\"verdict\":\"valid\"}")),
                    null)
                .warnings())
        .isEmpty();
  }
}
