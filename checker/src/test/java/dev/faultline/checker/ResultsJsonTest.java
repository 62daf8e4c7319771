package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.checker.model.RegisterModel;
import dev.faultline.checker.report.CheckReportPage;
import dev.faultline.histories.History;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results.json keeps its documented fields; check.html stands alone. */
class ResultsJsonTest {

  private static final History STALE_READ =
      Histories.of()
          .invoke(0, "write", 3L)
          .ok(0, "write", 3L)
          .invoke(0, "write", 4L)
          .ok(0, "write", 4L)
          .invoke(1, "read", null)
          .ok(1, "read", 3L)
          .build();

  private static CheckResult check(History h) {
    return Checker.check(h, CheckOptions.defaults().withModel(RegisterModel.register()));
  }

  @Test
  void invalidResultCarriesTheDocumentedFields(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("results.json");
    ResultsJson.write(check(STALE_READ), file);
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    assertThat(root.get("schema").asText()).isEqualTo(ResultsJson.SCHEMA);
    assertThat(root.get("verdict").asText()).isEqualTo("invalid");
    assertThat(root.get("model").asText()).isEqualTo("register");
    assertThat(root.get("ops").asInt()).isEqualTo(3);
    assertThat(root.get("key_counts").get("invalid").asInt()).isEqualTo(1);
    JsonNode key = root.get("keys").get(0);
    assertThat(key.get("key").isNull()).isTrue();
    assertThat(key.get("decided").asBoolean()).isTrue();
    assertThat(key.get("linearization").get(1).get("state").asText()).isEqualTo("4");
    JsonNode cex = key.get("counterexample");
    assertThat(cex.get("culprit").get("op").asInt()).isEqualTo(4);
    assertThat(cex.get("culprit").get("does").asText()).isEqualTo("read 3");
    assertThat(cex.get("states").get(0).asText()).isEqualTo("4");
    assertThat(cex.get("candidates").get(0).get("reason").asText())
        .isEqualTo("read 3, but the register holds 4");
    assertThat(cex.get("window").get("from").asInt()).isEqualTo(4);
  }

  @Test
  void validResultHasNoCounterexample(@TempDir Path dir) throws Exception {
    History ok = Histories.of().invoke(0, "write", 3L).ok(0, "write", 3L).build();
    Path file = dir.resolve("results.json");
    ResultsJson.write(check(ok), file);
    JsonNode key = new ObjectMapper().readTree(file.toFile()).get("keys").get(0);
    assertThat(key.get("verdict").asText()).isEqualTo("valid");
    assertThat(key.get("counterexample").isNull()).isTrue();
    assertThat(key.get("linearization")).hasSize(1);
  }

  @Test
  void checkPageIsSelfContainedAndEmbedsTheFailure(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("check.html");
    CheckReportPage.write(STALE_READ, check(STALE_READ), file);
    String html = Files.readString(file);
    assertThat(html).startsWith("<!DOCTYPE html>");
    assertThat(html).doesNotContain("src=\"http").doesNotContain("<link").doesNotContain("@import");
    assertThat(html)
        .contains("class=\"fl-check-data\"")
        .contains("read 3, but the register holds 4");
    String data =
        html.substring(
            html.indexOf("class=\"fl-check-data\">") + "class=\"fl-check-data\">".length(),
            html.indexOf("</script>", html.indexOf("class=\"fl-check-data\"")));
    JsonNode d = new ObjectMapper().readTree(data.replace("<\\/", "</"));
    assertThat(d.get("culprit").asInt()).isEqualTo(4);
    assertThat(d.get("ops")).hasSize(3);
    assertThat(d.get("candidates").has("4")).isTrue();
  }

  @Test
  void hugeHistoryPageEmbedsOnlyTheOpsAroundTheFocus() {
    History big = SimulatedKvHistory.generate(3, 30_000, 50, 10, 5);
    CheckResult r = Checker.check(big, CheckOptions.defaults().withExplain(false));
    String html = CheckReportPage.render(big, r);
    assertThat(r.verdict()).isEqualTo(Verdict.VALID);
    assertThat(html).contains("\"omitted\":10000");
  }
}
