package dev.faultline.testbed.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a run directory holds, read leniently: each file is optional, and a file that is missing or
 * malformed leaves its part null with a one-line reason, so a half-written run still gets a report
 * that says what is missing.
 *
 * @param dir the run directory
 * @param test test.json as a tree, or null
 * @param results results.json as a tree, or null
 * @param history history.jsonl, or null
 * @param problems one line per file that could not be read, naming the file
 * @param checkHtml the checker's check.html, or null
 * @param nodeLogs every {@code nodes/<node>/*.log}, sorted
 */
public record RunDir(
    Path dir,
    JsonNode test,
    JsonNode results,
    History history,
    List<String> problems,
    Path checkHtml,
    List<Path> nodeLogs) {

  public static final String TEST = "test.json";
  public static final String RESULTS = "results.json";
  public static final String HISTORY = "history.jsonl";
  public static final String HISTORY_EDN = "history.edn";
  public static final String CHECK = "check.html";
  public static final String REPORT = "report.html";
  public static final String JUNIT = "junit.xml";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads the run directory; only a missing directory is an error. */
  public static RunDir read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + ": not a run directory (it does not exist or is not a folder)");
    }
    List<String> problems = new ArrayList<>();
    JsonNode test = readJson(dir.resolve(TEST), problems);
    JsonNode results = readJson(dir.resolve(RESULTS), problems);
    History history = null;
    Path h = dir.resolve(HISTORY);
    if (Files.isRegularFile(h)) {
      try {
        history = HistoryFiles.read(h, HistoryFormat.JSONL);
      } catch (RuntimeException | IOException e) {
        problems.add(oneLine(e));
      }
    } else {
      problems.add(h + ": missing");
    }
    Path check = dir.resolve(CHECK);
    return new RunDir(
        dir,
        test,
        results,
        history,
        List.copyOf(problems),
        Files.isRegularFile(check) ? check : null,
        nodeLogs(dir));
  }

  /** Reads a JSON file as a tree, or notes why it could not be; a missing file is noted too. */
  static JsonNode readJson(Path file, List<String> problems) {
    if (!Files.isRegularFile(file)) {
      problems.add(file + ": missing");
      return null;
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      if (n == null || !n.isObject()) {
        problems.add(file + ": expected a JSON object, found " + (n == null ? "nothing" : n));
        return null;
      }
      return n;
    } catch (IOException e) {
      problems.add(file + ": " + oneLine(e));
      return null;
    }
  }

  /** Node logs under {@code nodes/<node>/}, sorted by node then name. */
  static List<Path> nodeLogs(Path dir) throws IOException {
    Path nodes = dir.resolve("nodes");
    if (!Files.isDirectory(nodes)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(nodes, 2)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".log"))
          .sorted()
          .toList();
    }
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
