package dev.faultline.testbed.serve;

import dev.faultline.checker.report.Html;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/** The HTML of the web UI: the run list with its filters, and the page of a run without report. */
final class ServePages {
  private ServePages() {}

  private static final String STYLE =
      "body{font:14px/1.45 system-ui,sans-serif;margin:16px 24px;color:#1c1c1c}"
          + "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:4px 10px;"
          + "text-align:left}th{background:#f5f5f5}td.n{text-align:right}"
          + "tr.verdict-valid td.v{background:#d9f2e1}tr.verdict-invalid td.v{background:#f9d6d6}"
          + "tr.verdict-unknown td.v{background:#fde9c4}tr.verdict-failed td.v{background:#e3d7f5}"
          + "tr.verdict-none td.v{background:#e6e6e6}"
          + "tr.verdict-invalid{background:#fff6f6}form{margin:8px 0 14px}select{margin-right:10px}"
          + ".muted{color:#666}";

  /** Filters from the query string; null or empty means any. */
  record Filter(String verdict, String workload, String nemesis) {
    boolean accepts(RunSummary r) {
      return matches(verdict, r.verdict())
          && matches(workload, r.workload())
          && matches(nemesis, r.nemesis());
    }

    private static boolean matches(String wanted, String actual) {
      return wanted == null || wanted.isEmpty() || wanted.equals(actual);
    }
  }

  static String list(Path store, List<RunSummary> all, Filter filter) {
    List<RunSummary> runs = all.stream().filter(filter::accepts).toList();
    StringBuilder b = new StringBuilder(8192);
    head(b, "faultline runs");
    b.append("<h1>Runs in ").append(esc(store.toString())).append("</h1>\n");
    b.append("<form method=\"get\" action=\"/\" id=\"filters\">");
    select(
        b, "verdict", List.of("valid", "invalid", "unknown", "failed", "none"), filter.verdict());
    select(b, "workload", distinct(all, RunSummary::workload), filter.workload());
    select(b, "nemesis", distinct(all, RunSummary::nemesis), filter.nemesis());
    b.append("<button type=\"submit\">filter</button> <a href=\"/\">clear</a></form>\n");
    if (runs.isEmpty()) {
      b.append("<p class=\"muted\" id=\"no-runs\">")
          .append(all.isEmpty() ? "No runs in this store yet." : "No run matches the filter.")
          .append("</p>\n");
    } else {
      b.append("<table id=\"runs\"><tr><th>run</th><th>workload</th><th>nemesis</th><th>bug</th>")
          .append("<th>verdict</th><th>duration</th><th>ops</th><th>seed</th><th></th></tr>\n");
      for (RunSummary r : runs) {
        String base = "/runs/" + r.path() + "/";
        b.append("<tr class=\"run verdict-")
            .append(r.verdict())
            .append("\" data-run=\"")
            .append(esc(r.path()))
            .append("\"><td><a href=\"")
            .append(esc(base))
            .append("\">")
            .append(esc(r.id()))
            .append("</a></td><td>")
            .append(esc(r.workload()))
            .append("</td><td>")
            .append(esc(r.nemesis()))
            .append("</td><td class=\"bug\">")
            .append(r.bug() == null ? "—" : esc(r.bug()))
            .append("</td><td class=\"v\">")
            .append(r.verdict().equals("none") ? esc(r.state()) : r.verdict())
            .append("</td><td class=\"n\">")
            .append(r.seconds() == null ? "—" : String.format(Locale.ROOT, "%.1f s", r.seconds()))
            .append("</td><td class=\"n\">")
            .append(r.ops() == null ? "—" : r.ops().toString())
            .append("</td><td>")
            .append(r.seed() == null ? "—" : esc(r.seed()))
            .append("</td><td><a href=\"")
            .append(esc(base))
            .append("files\">files</a> · <a href=\"/zip/")
            .append(esc(r.path()))
            .append("\">zip</a></td></tr>\n");
      }
      b.append("</table>\n");
    }
    b.append("<p class=\"muted\">").append(runs.size()).append(" of ").append(all.size());
    b.append(" runs shown, newest first.</p>\n</body></html>\n");
    return b.toString();
  }

  /** The file listing of a run, and why there is no report when there is none. */
  static String files(RunSummary r, Path dir) throws IOException {
    StringBuilder b = new StringBuilder(4096);
    head(b, "faultline run " + r.path());
    b.append("<p><a href=\"/\">all runs</a></p><h1>")
        .append(esc(r.path()))
        .append("</h1>\n<p id=\"state\">State: <b>")
        .append(esc(r.state()))
        .append("</b>, verdict: <b>")
        .append(esc(r.verdict()))
        .append("</b>.");
    if (!r.hasReport()) {
      b.append(" No report.html: the run has not finished, or it crashed before writing one.")
          .append(" <code>faultline report ")
          .append(esc(dir.toString()))
          .append("</code> writes it from the files below.");
    } else {
      b.append(" <a href=\"report.html\">report</a>");
    }
    b.append("</p>\n");
    for (String p : r.problems()) {
      b.append("<p class=\"muted\">").append(esc(p)).append("</p>\n");
    }
    b.append("<ul id=\"files\">");
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        String rel = dir.relativize(f).toString().replace('\\', '/');
        b.append("<li><a href=\"")
            .append(esc(rel))
            .append("\">")
            .append(esc(rel))
            .append("</a> <span class=\"muted\">")
            .append(Files.size(f))
            .append(" bytes</span></li>");
      }
    }
    b.append("</ul>\n<p><a href=\"/zip/")
        .append(esc(r.path()))
        .append("\">download as zip</a></p>\n</body></html>\n");
    return b.toString();
  }

  static String notFound(String what) {
    StringBuilder b = new StringBuilder();
    head(b, "not found");
    b.append("<h1>Not found</h1><p>")
        .append(esc(what))
        .append("</p><p><a href=\"/\">all runs</a></p></body></html>\n");
    return b.toString();
  }

  private static void head(StringBuilder b, String title) {
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(title))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n");
  }

  private static List<String> distinct(List<RunSummary> runs, Function<RunSummary, String> f) {
    return List.copyOf(new TreeSet<>(runs.stream().map(f).toList()));
  }

  private static void select(StringBuilder b, String name, List<String> values, String chosen) {
    b.append("<label>")
        .append(name)
        .append(" <select name=\"")
        .append(name)
        .append("\"><option value=\"\">any</option>");
    for (String v : values) {
      b.append("<option value=\"")
          .append(esc(v))
          .append('"')
          .append(v.equals(chosen) ? " selected" : "")
          .append('>')
          .append(esc(v))
          .append("</option>");
    }
    b.append("</select></label>");
  }

  static String esc(String s) {
    return Html.escape(s);
  }
}
