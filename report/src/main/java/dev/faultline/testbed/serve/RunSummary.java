package dev.faultline.testbed.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.testbed.report.Banner;
import dev.faultline.testbed.report.JsonPaths;
import dev.faultline.testbed.report.RunDirectory;
import dev.faultline.testbed.report.RunResults;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run as the listing shows it, read cheaply from test.json, results.json and the tail of
 * history.jsonl. Anything missing stays null and {@code state} says what the directory holds.
 *
 * @param group the run's folder under the store, e.g. {@code register-partition}
 * @param id the run's own folder, its timestamp
 * @param state {@code complete} (results.json read), {@code incomplete} (no results.json yet, or
 *     unreadable), or {@code empty} (no test.json and no history either)
 * @param verdict {@code valid}, {@code invalid}, {@code unknown}, {@code failed} or {@code none}
 * @param workload from test.json, prefixed with the system under test when it is not our node
 *     ({@code etcd kv}); else the group's part before the first dash
 * @param nemesis from test.json, else the group's part after the first dash
 * @param bug the deliberate bug switched on in the nodes (test.json's {@code options.bug}), or null
 * @param seconds the run's length from the last timed op of the history, or null
 * @param ops client calls as the checker counted them, or null
 * @param seed from test.json, or null
 * @param hasReport whether report.html exists
 * @param problems files that could not be read, one line each
 */
public record RunSummary(
    String group,
    String id,
    String state,
    String verdict,
    String workload,
    String nemesis,
    String bug,
    Double seconds,
    Long ops,
    String seed,
    boolean hasReport,
    List<String> problems) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TAIL_BYTES = 16 * 1024;

  /** The path of the run under the store, {@code group/id}. */
  public String path() {
    return group + "/" + id;
  }

  /** Reads the summary of {@code store/group/id}; never throws for a broken run. */
  public static RunSummary read(Path dir) {
    String id = dir.getFileName().toString();
    String group = dir.getParent().getFileName().toString();
    List<String> problems = new ArrayList<>();
    JsonNode test = readJson(dir.resolve(RunDirectory.TEST), problems);
    RunResults results =
        RunResults.orProblem(
            readJson(dir.resolve(RunDirectory.RESULTS), problems), RunDirectory.RESULTS, problems);
    Path history = dir.resolve(RunDirectory.HISTORY);
    boolean hasHistory = Files.isRegularFile(history);
    String state =
        results != null ? "complete" : test == null && !hasHistory ? "empty" : "incomplete";
    int dash = group.indexOf('-');
    String workload = JsonPaths.text(test, "workload", "options.workload");
    String db = JsonPaths.text(test, "system.name", "options.db");
    if (workload != null && db != null && !db.equals("faultline")) {
      // Runs of another system show as e.g. "etcd kv" in the list and its filter.
      workload = db + " " + workload;
    }
    String nemesis = JsonPaths.text(test, "nemesis", "options.nemesis");
    if (workload == null) {
      workload = dash < 0 ? group : group.substring(0, dash);
    }
    if (nemesis == null) {
      nemesis = dash < 0 ? "none" : group.substring(dash + 1);
    }
    Long lastTime = hasHistory ? lastTime(history) : null;
    return new RunSummary(
        group,
        id,
        state,
        Banner.verdictOf(results),
        workload,
        nemesis,
        JsonPaths.text(test, "options.bug", "bug") != null
            ? JsonPaths.text(test, "options.bug", "bug")
            : results == null ? null : results.bug(),
        lastTime != null
            ? Double.valueOf(lastTime / 1e9)
            : results == null ? null : results.elapsedSeconds(),
        results == null || results.ops() == null ? null : results.ops().total(),
        JsonPaths.text(test, "seed", "options.seed"),
        Files.isRegularFile(dir.resolve(RunDirectory.REPORT)),
        List.copyOf(problems));
  }

  private static JsonNode readJson(Path file, List<String> problems) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      if (n != null && n.isObject()) {
        return n;
      }
      problems.add(file.getFileName() + ": not a JSON object");
    } catch (IOException e) {
      problems.add(file.getFileName() + ": unreadable (" + firstLine(e.getMessage()) + ")");
    }
    return null;
  }

  /** The {@code time} of the last complete line of a JSON Lines history, or null. */
  static Long lastTime(Path history) {
    try (RandomAccessFile f = new RandomAccessFile(history.toFile(), "r")) {
      long size = f.length();
      int n = (int) Math.min(size, TAIL_BYTES);
      byte[] buf = new byte[n];
      f.seek(size - n);
      f.readFully(buf);
      String[] lines = new String(buf, StandardCharsets.UTF_8).split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        try {
          JsonNode line = JSON.readTree(lines[i]);
          if (line != null && line.path("time").isNumber()) {
            return line.get("time").asLong();
          }
        } catch (IOException e) {
          // a torn last line or a cut first line of the tail: try the one before
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
