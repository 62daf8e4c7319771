package dev.faultline.testbed.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run directory's report.html and junit.xml from the files in it (history.jsonl,
 * test.json, results.json, check.html, nodes/*&#47;*.log). Any of them may be missing or broken:
 * the report then says so instead of failing, so it can be written for a crashed run too.
 */
public final class ReportWriter {
  private ReportWriter() {}

  /**
   * What was written.
   *
   * @param report the report.html written
   * @param junit the junit.xml written
   * @param verdict {@code valid}, {@code invalid}, {@code unknown} or {@code none}
   */
  public record Written(Path report, Path junit, String verdict) {}

  /**
   * Writes {@code report.html} and {@code junit.xml} into {@code runDir}, each through a temporary
   * file and a rename.
   *
   * @throws IOException when the directory does not exist or the files cannot be written
   */
  public static Written write(Path runDir) throws IOException {
    return write(runDir, ZoneId.systemDefault());
  }

  /** As {@link #write(Path)}, reading log timestamps that carry no zone in {@code zone}. */
  public static Written write(Path runDir, ZoneId zone) throws IOException {
    RunDirectory.Contents run = RunDirectory.read(runDir);
    History h = run.history();
    Banner banner = Banner.of(run.results(), h);
    List<FaultWindow> windows = h == null ? List.of() : FaultWindows.of(h);
    long culpritTime = -1;
    if (h != null && banner.culprit() >= 0 && banner.culprit() < h.size()) {
      Op culprit = h.get(banner.culprit());
      culpritTime = culprit.hasTime() ? culprit.time() : -1;
    }
    Instant start = timeOrigin(run);
    List<NodeLogs.Excerpt> logs = NodeLogs.around(run.nodeLogs(), start, culpritTime, zone);
    String logsNote =
        culpritTime >= 0
            ? "Around the culprit op (invoked "
                + String.format(Locale.ROOT, "%.3f", culpritTime / 1e9)
                + " s into the run)"
                + (start == null ? "; test.json records no wall-clock start." : ".")
            : "The end of each log (the run found no failure to centre on).";
    ReportPage.Content content =
        new ReportPage.Content(
            run,
            title(run),
            banner,
            stats(run.results(), h),
            windows,
            h == null ? null : Availability.of(h),
            ChartData.json(h, windows, culpritTime),
            checkSection(run.checkHtml()),
            logs,
            logsNote);
    Path report = runDir.resolve(RunDirectory.REPORT);
    Path junit = runDir.resolve(RunDirectory.JUNIT);
    replace(report, ReportPage.render(content));
    double seconds = h == null ? 0 : Series.span(h) / 1e9;
    replace(
        junit,
        JUnitReport.xml(
            "faultline." + suiteName(run),
            runDir.toAbsolutePath().getFileName().toString(),
            seconds,
            banner,
            properties(run.test())));
    return new Written(report, junit, banner.verdict());
  }

  /**
   * The per-function counts the runner wrote into results.json; for results without them (the
   * checker's own), counted from the history by the same rule ({@link FunctionStats#of}).
   */
  static List<FunctionStats> stats(RunResults results, History h) {
    if (results != null && results.ops() != null && !results.ops().byFunction().isEmpty()) {
      return results.ops().stats();
    }
    return h == null ? List.of() : FunctionStats.of(h);
  }

  /** {@code workload-nemesis}: from test.json, else the name of the run's parent folder. */
  static String suiteName(RunDirectory.Contents run) {
    String workload = JsonPaths.text(run.test(), "workload", "options.workload");
    String nemesis = JsonPaths.text(run.test(), "nemesis", "options.nemesis");
    if (workload != null) {
      return workload + "-" + (nemesis == null ? "none" : nemesis);
    }
    Path parent = run.dir().toAbsolutePath().getParent();
    return parent == null || parent.getFileName() == null ? "run" : parent.getFileName().toString();
  }

  private static String title(RunDirectory.Contents run) {
    return "faultline: "
        + suiteName(run)
        + " / "
        + run.dir().toAbsolutePath().getFileName().toString();
  }

  private static Map<String, String> properties(JsonNode test) {
    Map<String, String> p = new LinkedHashMap<>();
    put(p, "seed", JsonPaths.text(test, "seed", "options.seed"));
    put(p, "command", JsonPaths.commandLine(test, "command_line", "command", "commandLine"));
    put(p, "git.commit", JsonPaths.text(test, "git_commit", "commit", "gitCommit", "git.commit"));
    put(p, "workload", JsonPaths.text(test, "workload", "options.workload"));
    put(p, "nemesis", JsonPaths.text(test, "nemesis", "options.nemesis"));
    return p;
  }

  private static void put(Map<String, String> p, String name, String value) {
    if (value != null) {
      p.put(name, value);
    }
  }

  /**
   * The wall-clock instant of the history's time 0: the workload's start as results.json records
   * it, or, for a run written before it did, the run's start from test.json; null when neither
   * says.
   */
  static Instant timeOrigin(RunDirectory.Contents run) {
    Instant origin = run.results() == null ? null : run.results().timeOrigin();
    return origin != null ? origin : runStart(run.test());
  }

  /** The run's wall-clock start from test.json (ISO-8601 text or epoch milliseconds), or null. */
  static Instant runStart(JsonNode test) {
    JsonNode n =
        JsonPaths.at(
            test, "start", "started", "started_at", "start_time", "startedAt", "wall_clock_start");
    if (n == null) {
      return null;
    }
    if (n.isNumber()) {
      return Instant.ofEpochMilli(n.asLong());
    }
    try {
      return Instant.parse(n.asText());
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(n.asText()).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /**
   * The checker's {@code <section class="fl-check">} cut from check.html (it carries its own style
   * and script), or null when there is no check.html or it holds no such section.
   */
  static String checkSection(Path checkHtml) throws IOException {
    if (checkHtml == null) {
      return null;
    }
    String page = Files.readString(checkHtml, StandardCharsets.UTF_8);
    int from = page.indexOf("<section class=\"fl-check\"");
    int to = page.lastIndexOf("</section>");
    if (from < 0 || to < from) {
      return null;
    }
    return page.substring(from, to + "</section>".length());
  }

  private static void replace(Path target, String text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
