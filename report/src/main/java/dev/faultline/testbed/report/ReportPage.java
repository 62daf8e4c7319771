package dev.faultline.testbed.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.checker.report.Html;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Renders report.html: one self-contained page (styles, scripts, chart library and data inlined,
 * nothing fetched) with the verdict in words, how to reproduce the run, per-function stats, charts
 * with fault windows shaded, availability per fault, the checker's counterexample, node log
 * excerpts and links to the raw files.
 */
final class ReportPage {
  private ReportPage() {}

  private static final String UPLOT = "META-INF/resources/webjars/uplot/";

  /** Everything the page shows, computed beforehand. */
  record Content(
      RunDirectory.Contents run,
      String title,
      Banner banner,
      List<FunctionStats> stats,
      List<FaultWindow> windows,
      Availability availability,
      String chartJson,
      String checkSection,
      List<NodeLogs.Excerpt> logs,
      String logsNote) {}

  static String render(Content c) {
    StringBuilder b = new StringBuilder(1 << 20);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(esc(c.title()))
        .append(" — ")
        .append(c.banner().verdict())
        .append("</title>\n<style>")
        .append(uplot("dist/uPlot.min.css"))
        .append("</style>\n<style>")
        .append(resource("report.css"))
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(esc(c.title()))
        .append("</h1>\n");
    banner(b, c.banner());
    if (!c.run().problems().isEmpty()) {
      b.append("<ul class=\"problems\" id=\"fl-problems\">");
      for (String p : c.run().problems()) {
        b.append("<li>").append(esc(p)).append("</li>");
      }
      b.append("</ul>\n");
    }
    reproduce(b, c.run().test());
    stats(b, c.stats());
    charts(b, c);
    availability(b, c.availability());
    b.append("<h2 id=\"counterexample\">")
        .append(c.banner().verdict().equals("invalid") ? "Counterexample" : "The checker")
        .append("</h2>\n");
    if (c.checkSection() != null) {
      if (!c.banner().verdict().equals("invalid")) {
        b.append("<p class=\"muted\">No counterexample: the checker's result and the order it")
            .append(" found.</p>\n");
      }
      b.append(c.checkSection()).append('\n');
    } else {
      b.append("<p class=\"muted\">")
          .append(
              c.banner().verdict().equals("invalid")
                  ? "check.html is missing, so the checker's timeline cannot be shown."
                  : "None: the checker found no violation to show.")
          .append("</p>\n");
    }
    logs(b, c.logs(), c.logsNote());
    files(b, c.run());
    b.append("<script type=\"application/json\" id=\"fl-data\">")
        .append(c.chartJson().replace("</", "<\\/"))
        .append("</script>\n<script>")
        .append(uplot("dist/uPlot.iife.min.js"))
        .append("</script>\n<script>")
        .append(resource("report.js"))
        .append("</script>\n</body></html>\n");
    return b.toString();
  }

  private static void banner(StringBuilder b, Banner banner) {
    b.append("<div class=\"verdict verdict-")
        .append(banner.verdict())
        .append("\" id=\"fl-verdict\" data-verdict=\"")
        .append(banner.verdict())
        .append("\"><p class=\"headline\">")
        .append(esc(banner.headline()))
        .append("</p>");
    for (String d : banner.details()) {
      b.append("<p>").append(esc(d)).append("</p>");
    }
    if (!banner.warnings().isEmpty()) {
      b.append("<div class=\"warnings\" id=\"fl-warnings\"><p><b>Warning: this verdict rests on")
          .append(" less than it seems.</b></p><ul>");
      for (String w : banner.warnings()) {
        b.append("<li>").append(esc(w)).append("</li>");
      }
      b.append("</ul></div>");
    }
    b.append("</div>\n");
  }

  private static void reproduce(StringBuilder b, JsonNode test) {
    b.append("<h2>The test</h2>\n");
    if (test == null) {
      b.append("<p class=\"muted\">test.json is missing: options, seed and command unknown.</p>\n");
      return;
    }
    String command =
        JsonPaths.commandLine(test, "command_line", "command", "commandLine", "reproduce");
    String seed = JsonPaths.text(test, "seed", "options.seed");
    String commit = JsonPaths.text(test, "git_commit", "commit", "gitCommit", "git.commit");
    b.append("<table class=\"fl\">");
    row(b, "seed", seed == null ? "(not recorded)" : seed);
    row(b, "git commit", commit == null ? "(not recorded)" : commit);
    row(b, "system under test", system(test));
    b.append("</table>\n<p>Reproduce with:</p>\n<pre id=\"fl-command\">")
        .append(esc(command == null ? "(test.json records no command)" : command))
        .append("</pre>\n<details open><summary>Options</summary><table class=\"fl\">");
    JsonNode options = JsonPaths.at(test, "options");
    JsonNode shown = options != null && options.isObject() ? options : test;
    for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      row(b, e.getKey(), v.isTextual() ? v.asText() : v.toString());
    }
    b.append("</table></details>\n");
  }

  private static void stats(StringBuilder b, List<FunctionStats> stats) {
    b.append("<h2>Operations</h2>\n<table class=\"fl\" id=\"fl-stats\"><tr><th>f</th>")
        .append("<th>calls</th><th>ok</th><th>fail</th><th>info</th><th>pending</th></tr>");
    for (FunctionStats s : stats) {
      b.append("<tr><th>").append(esc(s.f())).append("</th>");
      cell(b, Integer.toString(s.calls()));
      for (int n : new int[] {s.ok(), s.fail(), s.info(), s.pending()}) {
        cell(b, n + " (" + percent(s.share(n)) + ")");
      }
      b.append("</tr>");
    }
    b.append("</table>\n<p class=\"muted\">ok: took effect; fail: certainly did not;")
        .append(" info: may or may not have (timeout, lost connection); pending: never")
        .append(" completed.</p>\n");
  }

  private static void charts(StringBuilder b, Content c) {
    b.append("<h2>Over time</h2>\n");
    if (c.windows().isEmpty()) {
      b.append("<p class=\"muted\">No fault windows: the history holds no nemesis events.</p>\n");
    } else {
      b.append("<p>Shaded: fault windows (from the nemesis's start/stop events).</p>\n");
    }
    String before = beforeTheWorkload(c.run().results());
    if (before != null) {
      b.append("<p class=\"muted\" id=\"fl-time-origin\">").append(esc(before)).append("</p>\n");
    }
    if (c.run().history() == null || c.stats().isEmpty() || c.stats().get(0).calls() == 0) {
      b.append("<p class=\"muted\" id=\"fl-no-charts\">")
          .append(c.run().history() == null ? "No history" : "No client operations")
          .append(", so no charts.</p>\n");
      return;
    }
    for (String id : List.of("fl-latency", "fl-quantiles", "fl-throughput")) {
      b.append("<div class=\"chart\" id=\"").append(id).append("\"></div>\n");
    }
  }

  /**
   * Where time 0 is and what happened before it, e.g. {@code Time 0 is the workload's start; before
   * it: nodes launched at -12.3 s, leader ready at -0.4 s.}; null for a run that records no
   * timeline (its time 0 is the run's start).
   */
  static String beforeTheWorkload(RunResults results) {
    if (results == null || results.timeline() == null) {
      return null;
    }
    var events = new java.util.ArrayList<String>();
    for (com.fasterxml.jackson.databind.JsonNode e : results.timeline().path("events")) {
      if (e.path("event").isTextual() && e.path("at_s").isNumber()) {
        double at = e.path("at_s").asDouble();
        // Rounded to tenths; a value that rounds to zero is shown as 0.0, not -0.0.
        events.add(
            e.path("event").asText()
                + String.format(java.util.Locale.ROOT, " at %.1f s", Math.abs(at) < 0.05 ? 0 : at));
      }
    }
    return "Time 0 is the workload's start"
        + (events.isEmpty() ? "." : "; before it: " + String.join(", ", events) + ".");
  }

  private static void availability(StringBuilder b, Availability a) {
    b.append("<h2>Availability</h2>\n");
    if (a == null) {
      b.append("<p class=\"muted\">No history, so no availability.</p>\n");
      return;
    }
    b.append("<table class=\"fl\" id=\"fl-availability\"><tr>")
        .append("<th>while</th><th>from (s)</th><th>to (s)</th><th>completed</th><th>ok</th>")
        .append("<th>fail</th><th>of which cas mismatch</th><th>info</th><th>pending</th>")
        .append("<th>answered</th></tr>");
    availabilityRow(b, "overall", "whole run", null, a.overall());
    for (Availability.Window w : a.windows()) {
      availabilityRow(b, "window", w.window().label(), w.window(), w.counts());
    }
    availabilityRow(b, "outside", "outside faults", null, a.outside());
    b.append("</table>\n<p class=\"muted\">A call counts in every fault window in force when")
        .append(" it was invoked. Answered: the calls the cluster served (ok, and compare-and-set")
        .append(" mismatches: the key held another value, which is an answer) over the calls that")
        .append(" completed (ok, fail, info). Pending calls (no completion before the run ended)")
        .append(" are shown but counted in neither. results.json gives the same figures under")
        .append(" <code>availability</code>.</p>\n");
  }

  private static void availabilityRow(
      StringBuilder b, String kind, String label, FaultWindow w, Availability.Counts c) {
    Double share = c.rounded();
    b.append("<tr data-row=\"")
        .append(kind)
        .append("\" data-availability=\"")
        .append(share == null ? "" : share.toString())
        .append("\"><th>")
        .append(esc(label))
        .append("</th>");
    cell(b, w == null ? "" : String.format(Locale.ROOT, "%.2f", w.start() / 1e9));
    cell(
        b,
        w == null
            ? ""
            : String.format(Locale.ROOT, "%.2f", w.end() / 1e9) + (w.healed() ? "" : " (open)"));
    cell(b, Long.toString(c.ops()));
    cell(b, Long.toString(c.ok()));
    cell(b, Long.toString(c.fail()));
    cell(b, Long.toString(c.mismatch()));
    cell(b, Long.toString(c.info()));
    cell(b, Long.toString(c.pending()));
    b.append("<td class=\"n")
        .append(share != null && share < 0.5 ? " rate-bad" : "")
        .append("\">")
        .append(share == null ? "no completed calls" : percent(share))
        .append("</td></tr>");
  }

  private static void logs(StringBuilder b, List<NodeLogs.Excerpt> logs, String note) {
    b.append("<h2>Node logs</h2>\n");
    if (logs.isEmpty()) {
      b.append("<p class=\"muted\">No node logs (nodes/*/*.log) in this run.</p>\n");
      return;
    }
    b.append("<p class=\"muted\">").append(esc(note)).append("</p>\n");
    for (NodeLogs.Excerpt e : logs) {
      b.append("<details open class=\"fl-log\"><summary><b>")
          .append(esc(e.node()))
          .append("</b> ")
          .append(esc(e.file().getFileName().toString()))
          .append(" — ")
          .append(esc(e.how()))
          .append("</summary><pre>");
      for (String line : e.lines()) {
        b.append(esc(line)).append('\n');
      }
      b.append("</pre></details>\n");
    }
  }

  private static void files(StringBuilder b, RunDirectory.Contents run) {
    b.append("<h2>Raw files</h2>\n<ul id=\"fl-files\">");
    for (String name :
        List.of(
            RunDirectory.HISTORY,
            RunDirectory.HISTORY_EDN,
            RunDirectory.RESULTS,
            RunDirectory.TEST,
            RunDirectory.CHECK,
            RunDirectory.JUNIT)) {
      Path p = run.dir().resolve(name);
      if (Files.isRegularFile(p) || name.equals(RunDirectory.JUNIT)) {
        link(b, name);
      }
    }
    for (Path log : run.nodeLogs()) {
      link(b, run.dir().relativize(log).toString().replace('\\', '/'));
    }
    b.append("</ul>\n");
  }

  private static void link(StringBuilder b, String rel) {
    b.append("<li><a href=\"").append(esc(rel)).append("\">").append(esc(rel)).append("</a></li>");
  }

  /**
   * The system under test as test.json records it, e.g. {@code etcd 3.4.23 (reads=serializable)};
   * runs from before {@code --db} tested our own node.
   */
  static String system(JsonNode test) {
    JsonNode system = JsonPaths.at(test, "system");
    if (system == null || !system.isObject()) {
      return "faultline (not recorded)";
    }
    var line = new StringBuilder(system.path("name").asText("?"));
    line.append(' ').append(system.path("version").asText("unknown"));
    var options = new java.util.ArrayList<String>();
    system
        .path("options")
        .fields()
        .forEachRemaining(e -> options.add(e.getKey() + "=" + e.getValue().asText()));
    if (!options.isEmpty()) {
      line.append(" (").append(String.join(", ", options)).append(')');
    }
    if (system.path("command").isTextual()) {
      line.append(": ").append(system.path("command").asText());
    }
    return line.toString();
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append("<tr><th>")
        .append(esc(name))
        .append("</th><td><code>")
        .append(esc(value))
        .append("</code></td></tr>");
  }

  private static void cell(StringBuilder b, String text) {
    b.append("<td class=\"n\">").append(esc(text)).append("</td>");
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  static String esc(String s) {
    return Html.escape(s);
  }

  /** The version of the uPlot WebJar on the class path, from its Maven metadata. */
  static String uplotVersion() {
    Properties p = new Properties();
    try (InputStream in =
        ReportPage.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "the uPlot WebJar (org.webjars.npm:uplot) is not on the class path; rebuild faultline");
      }
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String uplot(String file) {
    return load(ReportPage.class.getClassLoader(), UPLOT + uplotVersion() + "/" + file);
  }

  private static String resource(String name) {
    return load(ReportPage.class.getClassLoader(), "dev/faultline/testbed/report/" + name);
  }

  private static String load(ClassLoader loader, String path) {
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path + "; rebuild faultline");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
