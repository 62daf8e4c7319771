package dev.faultline.checker.report;

import dev.faultline.checker.Candidate;
import dev.faultline.checker.CheckResult;
import dev.faultline.checker.Counterexample;
import dev.faultline.checker.KeyResult;
import dev.faultline.checker.Step;
import dev.faultline.checker.Verdict;
import dev.faultline.histories.History;
import dev.faultline.histories.Values;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Renders a check as {@code check.html}: a summary a person can read without scripts, and a
 * timeline (inline SVG drawn by a small inline script, no network) with one row per process, each
 * op a bar from invocation to completion, the linearization as points, the culprit and the
 * candidates highlighted. {@link #fragment} gives the same as one {@code <section>} for embedding
 * in another page.
 */
public final class CheckReportPage {
  private CheckReportPage() {}

  /** The whole page. */
  public static String render(History history, CheckResult result) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>faultline check: "
        + result.verdict().wireName()
        + "</title></head>\n<body style=\"margin:16px\">\n"
        + fragment(history, result)
        + "\n</body></html>\n";
  }

  /** Writes the page to {@code file} (through a temporary file and a rename). */
  public static void write(History history, CheckResult result, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".check", ".html.tmp");
    try {
      Files.writeString(tmp, render(history, result), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The check as a self-contained {@code <section class="fl-check">} with its style and script. */
  public static String fragment(History history, CheckResult result) {
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<section class=\"fl-check\">\n<style>")
        .append(resource("timeline.css"))
        .append("</style>\n");
    summary(b, result);
    b.append("<h3>Timeline</h3>\n<div class=\"fl-legend\">")
        .append("<span class=\"fl-ok\"></span>ok<span class=\"fl-fail\"></span>fail")
        .append("<span class=\"fl-info\"></span>info<span class=\"fl-pending\"></span>pending")
        .append("<span class=\"fl-culprit\"></span>culprit (cannot be linearized)")
        .append("<span class=\"fl-cand\"></span>candidate (could have come next)")
        .append("<span class=\"fl-fault\"></span>fault window")
        .append(" · dots: linearization order")
        .append("</div>\n<div class=\"fl-controls\">")
        .append("<button data-act=\"left\">◀</button><button data-act=\"right\">▶</button>")
        .append("<button data-act=\"narrow\">narrow</button>")
        .append("<button data-act=\"widen\">widen</button>")
        .append("<button data-act=\"focus\">")
        .append(result.verdict() == Verdict.INVALID ? "failure window" : "start")
        .append("</button><button data-act=\"all\">whole history</button> ")
        .append("<span class=\"fl-check-range\"></span></div>\n")
        .append("<div class=\"fl-check-svg\"></div><div class=\"fl-check-tip\"></div>\n")
        .append("<script type=\"application/json\" class=\"fl-check-data\">")
        .append(TimelineData.json(history, result).replace("</", "<\\/"))
        .append("</script>\n<script>")
        .append(resource("timeline.js"))
        .append("</script>\n</section>");
    return b.toString();
  }

  private static void summary(StringBuilder b, CheckResult r) {
    b.append("<h2 class=\"fl-verdict-")
        .append(r.verdict().wireName())
        .append("\">")
        .append(r.verdict().name())
        .append("</h2>\n<table>");
    row(b, "model", r.model() + " (" + r.modelReason() + ")");
    row(b, "ops", Integer.toString(r.ops()));
    row(b, "keys", r.keys().size() + (r.split() ? " (checked one by one)" : " (checked together)"));
    row(b, "time", String.format("%.1f ms", r.nanos() / 1e6));
    if (r.reason() != null) {
      row(b, "reason", r.reason());
    }
    b.append("</table>\n");
    for (KeyResult k : r.keys()) {
      if (k.verdict() == Verdict.INVALID) {
        invalid(b, k);
        break;
      }
    }
    // The invalid key first; keys that were not checked (the search stopped once the verdict was
    // decided) folded away, as they say nothing about the history.
    List<KeyResult> invalid =
        r.keys().stream().filter(k -> k.verdict() == Verdict.INVALID).limit(50).toList();
    List<KeyResult> undecided =
        r.keys().stream().filter(k -> k.verdict() == Verdict.UNKNOWN && !notChecked(k)).toList();
    List<KeyResult> notChecked = r.keys().stream().filter(CheckReportPage::notChecked).toList();
    if (!invalid.isEmpty() || !undecided.isEmpty()) {
      b.append("<h3>Keys not valid</h3>\n");
      keyTable(b, invalid, undecided.stream().limit(50).toList());
    }
    if (!notChecked.isEmpty()) {
      b.append("<details class=\"fl-not-checked\"><summary>")
          .append(notChecked.size())
          .append(notChecked.size() == 1 ? " key" : " keys")
          .append(" unknown: not checked</summary>\n");
      keyTable(b, List.of(), notChecked.stream().limit(200).toList());
      b.append("</details>\n");
    }
  }

  private static boolean notChecked(KeyResult k) {
    return k.verdict() == Verdict.UNKNOWN
        && k.reason() != null
        && k.reason().startsWith("not checked");
  }

  private static void keyTable(StringBuilder b, List<KeyResult> first, List<KeyResult> then) {
    b.append("<table><tr><th>key</th><th>verdict</th><th>reason</th></tr>");
    for (List<KeyResult> part : List.of(first, then)) {
      for (KeyResult k : part) {
        b.append("<tr><td>")
            .append(esc(k.key() == null ? "(none)" : Values.show(k.key())))
            .append("</td><td>")
            .append(k.verdict().wireName())
            .append("</td><td>")
            .append(esc(k.reason() == null ? "" : k.reason()))
            .append("</td></tr>");
      }
    }
    b.append("</table>\n");
  }

  private static void invalid(StringBuilder b, KeyResult k) {
    Counterexample c = k.counterexample();
    b.append("<h3>Why key ")
        .append(esc(k.key() == null ? "(none)" : Values.show(k.key())))
        .append(" is not linearizable</h3>\n<p>After the ")
        .append(k.linearization().size())
        .append(" ops of the longest linearizable prefix, op #")
        .append(c.culprit())
        .append(" (<b>")
        .append(esc(c.culpritDescription()))
        .append("</b>, completed at #")
        .append(c.culpritCompletion())
        .append(") must take effect before it completes, but no op can come next.</p>\n")
        .append("<p>States reachable at that point: ")
        .append(esc(String.join(" | ", c.states())))
        .append("</p>\n<table><tr><th>candidate</th><th>does</th><th>why not next</th></tr>");
    for (Candidate cand : c.candidates()) {
      b.append("<tr><td>#")
          .append(cand.op())
          .append("</td><td>")
          .append(esc(cand.description()))
          .append("</td><td>")
          .append(esc(cand.reason()))
          .append("</td></tr>");
    }
    b.append("</table>\n<details><summary>End of the prefix</summary><table>")
        .append("<tr><th>step</th><th>op</th><th>does</th><th>state after</th></tr>");
    List<Step> steps = k.linearization();
    for (int i = Math.max(0, steps.size() - 20); i < steps.size(); i++) {
      Step s = steps.get(i);
      b.append("<tr><td>")
          .append(i + 1)
          .append("</td><td>#")
          .append(s.op())
          .append("</td><td>")
          .append(esc(s.description()))
          .append("</td><td>")
          .append(esc(s.stateAfter()))
          .append("</td></tr>");
    }
    b.append("</table></details>\n");
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append("<tr><th>").append(name).append("</th><td>").append(esc(value)).append("</td></tr>");
  }

  static String esc(String s) {
    return Html.escape(s);
  }

  private static String resource(String name) {
    try (InputStream in = CheckReportPage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to CheckReportPage");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
