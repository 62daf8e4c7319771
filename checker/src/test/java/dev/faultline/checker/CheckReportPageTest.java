package dev.faultline.checker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.checker.model.KvModel;
import dev.faultline.checker.report.CheckReportPage;
import dev.faultline.histories.History;
import dev.faultline.histories.OpType;
import org.junit.jupiter.api.Test;

/** check.html: the invalid key first, undecided keys folded, a legend that shows, faults shaded. */
class CheckReportPageTest {

  private static History history() {
    Histories h = Histories.of();
    h.op(-1, OpType.INFO, "start-partition", null, null);
    for (String k : new String[] {"a", "c", "d"}) {
      h.invoke(0, "write", k, 1L).ok(0, "write", k, 1L);
      h.invoke(0, "write", k, 2L).ok(0, "write", k, 2L);
      h.invoke(0, "read", k, null).ok(0, "read", k, 2L);
    }
    // Key "b": one read of a value never written; the smallest key, so searched first.
    h.invoke(0, "read", "b", null).ok(0, "read", "b", 2L);
    h.op(-1, OpType.INFO, "stop-partition", null, null);
    return h.build();
  }

  private static String page() {
    History h = history();
    CheckResult r =
        Checker.check(h, CheckOptions.defaults().withModel(KvModel.create()).withThreads(1));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    return CheckReportPage.render(h, r);
  }

  @Test
  void legendSwatchesAreColouredAsHtmlBoxes() {
    String html = page();
    assertThat(html)
        .contains(".fl-legend span.fl-ok { background-color:")
        .contains(".fl-legend span.fl-culprit { background-color:")
        .contains(".fl-legend span.fl-cand { background-color:")
        .contains("<span class=\"fl-culprit\"></span>culprit")
        .contains("<span class=\"fl-cand\"></span>candidate")
        .contains("<span class=\"fl-fault\"></span>fault window");
  }

  @Test
  void culpritAndCandidateBarsAreDrawnDifferently() {
    String html = page();
    String culprit = html.substring(html.indexOf(".fl-check .fl-culprit {"));
    culprit = culprit.substring(0, culprit.indexOf('}'));
    String cand = html.substring(html.indexOf(".fl-check .fl-cand {"));
    cand = cand.substring(0, cand.indexOf('}'));
    assertThat(culprit).contains("fill:").doesNotContain("dasharray");
    assertThat(cand).contains("dasharray").doesNotContain("fill:");
  }

  @Test
  void faultWindowsAreShaded() {
    String html = page();
    assertThat(html).contains("\"start-partition\"]").contains("\"stop-partition\"]");
    assertThat(html).contains("class=\"fl-fault\" x=\"");
  }

  @Test
  void invalidKeyComesFirstAndNotCheckedKeysAreFolded() {
    History h = history();
    CheckResult r =
        Checker.check(h, CheckOptions.defaults().withModel(KvModel.create()).withThreads(1));
    long notChecked =
        r.keys().stream()
            .filter(k -> k.reason() != null && k.reason().startsWith("not checked"))
            .count();
    String html = CheckReportPage.render(h, r);
    assertThat(notChecked).isEqualTo(3);
    int invalidRow = html.indexOf("<tr><td>&quot;b&quot;</td><td>invalid</td>");
    assertThat(invalidRow).isPositive();
    int folded = html.indexOf("<details class=\"fl-not-checked\"><summary>3 keys unknown");
    assertThat(folded).isGreaterThan(invalidRow);
    assertThat(html.indexOf("not checked: stopped early", invalidRow)).isGreaterThan(folded);
  }
}
