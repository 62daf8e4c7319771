package dev.faultline.testbed.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One run's directory, {@code <store>/<name>/<timestamp>/}: the one place that names its files, for
 * the runner that creates and fills it and for the report and {@code serve} that read it. {@code
 * <store>/latest} is a relative symbolic link to the newest run, replaced atomically (a reader sees
 * the old link or the new one, never none).
 */
public record RunDirectory(Path store, Path dir) {
  public static final String TEST = "test.json";
  public static final String RESULTS = "results.json";
  public static final String HISTORY = "history.jsonl";
  public static final String HISTORY_EDN = "history.edn";
  public static final String RESULTS_EDN = "results.edn";
  public static final String CHECK = "check.html";
  public static final String REPORT = "report.html";
  public static final String JUNIT = "junit.xml";
  public static final String NODES = "nodes";
  public static final String WORK = "work";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * Creates {@code store/name/<timestamp of now>} (with a {@code -2}, {@code -3}, ... suffix when a
   * run in the same millisecond took the name) and points {@code store/latest} at it.
   */
  public static RunDirectory create(Path store, String name, Instant now) throws IOException {
    if (name.isBlank() || name.contains("/") || name.equals("latest")) {
      throw new IllegalArgumentException(
          "bad run name '" + name + "': one path segment, not latest");
    }
    Path parent = store.resolve(name);
    Files.createDirectories(parent);
    String stamp = STAMP.format(now);
    for (int attempt = 1; attempt < 1000; attempt++) {
      Path dir = parent.resolve(attempt == 1 ? stamp : stamp + "-" + attempt);
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException taken) {
        continue;
      }
      RunDirectory run = new RunDirectory(store, dir);
      run.pointLatestHere();
      return run;
    }
    throw new IOException("cannot create a run directory under " + parent + ": 999 names taken");
  }

  /** Makes {@code store/latest} point at this run. */
  public void pointLatestHere() throws IOException {
    Path link = store.resolve("latest");
    if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
      throw new IOException(
          link
              + " exists and is not a symbolic link; move it away so the latest run can be linked");
    }
    Path target = store.toAbsolutePath().relativize(dir.toAbsolutePath());
    Path tmp = store.resolve(".latest-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    Files.createSymbolicLink(tmp, target);
    try {
      Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public Path testJson() {
    return dir.resolve(TEST);
  }

  public Path historyJsonl() {
    return dir.resolve(HISTORY);
  }

  public Path historyEdn() {
    return dir.resolve(HISTORY_EDN);
  }

  public Path resultsJson() {
    return dir.resolve(RESULTS);
  }

  public Path checkHtml() {
    return dir.resolve(CHECK);
  }

  /** The nodes' collected logs: {@code nodes/<id>/}. */
  public Path nodes() {
    return dir.resolve(NODES);
  }

  /** The nodes' working state while they run (data directories, output). */
  public Path work() {
    return dir.resolve(WORK);
  }

  /**
   * Reads what the run directory {@code dir} holds, leniently (see {@link Contents}); only a
   * missing directory is an error.
   */
  public static Contents read(Path dir) throws IOException {
    return Contents.read(dir);
  }

  /**
   * What a run directory holds, read leniently: each file is optional, and a file that is missing
   * or malformed leaves its part null with a one-line reason, so a half-written run still gets a
   * report that says what is missing.
   *
   * @param dir the run directory
   * @param test test.json as a tree, or null
   * @param results results.json, or null (missing, or in no schema this version reads)
   * @param history history.jsonl, or null
   * @param problems one line per file that could not be read, naming the file
   * @param checkHtml the checker's check.html, or null
   * @param nodeLogs every {@code nodes/<node>/*.log}, sorted
   */
  public record Contents(
      Path dir,
      JsonNode test,
      RunResults results,
      History history,
      List<String> problems,
      Path checkHtml,
      List<Path> nodeLogs) {

    /** Reads the run directory; only a missing directory is an error. */
    static Contents read(Path dir) throws IOException {
      if (!Files.isDirectory(dir)) {
        throw new IOException(dir + ": not a run directory (it does not exist or is not a folder)");
      }
      List<String> problems = new ArrayList<>();
      JsonNode test = readJson(dir.resolve(TEST), problems);
      RunResults results =
          RunResults.orProblem(
              readJson(dir.resolve(RESULTS), problems), dir.resolve(RESULTS).toString(), problems);
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
      return new Contents(
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
      Path nodes = dir.resolve(NODES);
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
}
