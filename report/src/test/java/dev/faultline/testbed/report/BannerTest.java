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
        .isEqualTo(
            "The write of 5 to key \"x\" (op #2, process 0) was acknowledged by n1 before the"
                + " read began, so the read should have returned 5. It returned 4 instead (the read"
                + " is op #4 by process 1, completed at #5, answered by n1). The checker's search"
                + " agrees: just before this read the key could only have held 5.");
  }

  @Test
  void aReadMissingOneOfTwoPossibleWritesNamesBothAndTheWriteStillInFlight() throws IOException {
    // The acknowledged write of 0 and a concurrent write of 1: either may be the value the read
    // sees, and the story must say so before what it saw, not contradict itself.
    History h =
        new Ops()
            .invoke(0, 0, "write", 0L)
            .complete(1, 0, OpType.OK, "write", 0L)
            .invoke(2, 2, "write", 1L)
            .invoke(3, 1, "read", null)
            .complete(4, 1, OpType.OK, "read", null)
            .complete(5, 2, OpType.OK, "write", 1L)
            .build();
    String story = Banner.of(RunResults.of(check(h)), h).details().get(0);
    assertThat(story)
        .startsWith(
            "The write of 0 to key \"x\" (op #0, process 0) was acknowledged by n1 before the"
                + " read began; write of 1 (op #2) may also have taken effect by then, so the read"
                + " should have returned one of 0, 1. It returned nil instead");
    assertThat(story.indexOf("should have returned")).isLessThan(story.indexOf("It returned"));
  }

  @Test
  void aReadAnsweredByANodeCutOffFromTheMajorityIsToldAsTheOldLeader() throws IOException {
    var grudge = new java.util.LinkedHashMap<String, Object>();
    grudge.put("n1", java.util.List.of("n2", "n3"));
    grudge.put("n2", java.util.List.of("n1"));
    grudge.put("n3", java.util.List.of("n1"));
    History h =
        new Ops()
            .nemesis(0, OpType.INFO, "start-partition", java.util.Map.of("grudge", grudge))
            .invoke(1, 0, "write", 3L)
            .complete(2, 0, OpType.OK, "write", 3L)
            .invoke(3, 1, "read", null)
            .complete(4, 1, OpType.OK, "read", null)
            .nemesis(5, OpType.INFO, "stop-partition", java.util.Map.of("grudge", grudge))
            .build();
    assertThat(Banner.of(RunResults.of(check(h)), h).details().get(0))
        .contains("It returned nil instead")
        .contains(
            "n1 was cut off from a majority by the partition that began at op #0 (it could reach"
                + " 1 of 3 nodes, itself included), so it answered as an old leader that no longer"
                + " led");
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
