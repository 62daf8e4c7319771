package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.histories.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  @TempDir Path tmp;

  @Test
  void anInvalidRunsReportIsSelfContainedAndTellsWhatBroke() throws IOException {
    History h = SyntheticRun.history(5, 6, Duration.ofSeconds(6), 4, true);
    Path dir = SyntheticRun.write(tmp.resolve("register-partition/20260102T030405"), h, 5, true);
    ReportWriter.Written w = ReportWriter.write(dir, ZoneOffset.UTC);
    assertThat(w.verdict()).isEqualTo("invalid");
    String html = Files.readString(w.report());
    assertThat(html)
        .contains("data-verdict=\"invalid\"")
        .contains("to key &quot;k0&quot;")
        .contains("was acknowledged by n1 before the read began")
        .contains("answered by n3")
        .contains("<section class=\"fl-check\"")
        .contains("faultline test --workload register --nemesis partition,kill --seed 5")
        .contains("abc1234")
        .contains("\"label\":\"partition n1\"")
        .contains("\"label\":\"kill n2\"")
        .contains("matched by wall clock")
        .contains("the lines carry no timestamps")
        .contains("<a href=\"nodes/n1/node.log\">");
    // Nothing is fetched: no script, style or image comes from elsewhere.
    assertThat(
            Pattern.compile("<(script|link|img)[^>]+(src|href)=", Pattern.CASE_INSENSITIVE)
                .matcher(html)
                .find())
        .isFalse();
    assertThat(html).contains("uPlot");
    String junit = Files.readString(w.junit());
    assertThat(junit).contains("<failure message=\"The write of ").contains("answered by n3");
    assertThat(junit).contains("classname=\"faultline.register-partition,kill\"");
  }

  @Test
  void aValidRunPassesAndShowsNoCounterexample() throws IOException {
    History h = SyntheticRun.history(6, 4, Duration.ofSeconds(3), 3, false);
    Path dir = SyntheticRun.write(tmp.resolve("run"), h, 6, true);
    ReportWriter.Written w = ReportWriter.write(dir);
    assertThat(w.verdict()).isEqualTo("valid");
    assertThat(Files.readString(w.report())).contains("data-verdict=\"valid\"");
    assertThat(Files.readString(w.junit())).doesNotContain("<failure").doesNotContain("<error");
  }

  @Test
  void aHalfWrittenRunStillGetsAReportNamingWhatIsMissing() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("kv-none/20260102T000000"));
    Files.writeString(dir.resolve(RunDirectory.TEST), "{\"workload\":\"kv\",\"seed\":1}");
    Files.writeString(
        dir.resolve(RunDirectory.HISTORY),
        "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"time\":5}\n{\"process\":0,\"ty");
    ReportWriter.Written w = ReportWriter.write(dir);
    assertThat(w.verdict()).isEqualTo("none");
    String html = Files.readString(w.report());
    assertThat(html)
        .contains("results.json: missing")
        .contains("history.jsonl:2:")
        .contains("No verdict: results.json is missing")
        .contains("No history, so no charts.");
    assertThat(Files.readString(w.junit())).contains("<error message=\"No verdict");
  }

  @Test
  void aMissingDirectoryIsRefusedWithItsName() {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> ReportWriter.write(missing))
        .hasMessage(missing + ": not a run directory (it does not exist or is not a folder)");
  }
}
