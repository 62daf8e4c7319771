package dev.faultline.testbed.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runs under a store directory ({@code store/<workload>-<nemesis>/<timestamp>/}), and the only
 * way the server turns request paths into files: every name is checked against {@link #NAME} and
 * every resolved path must stay inside the store after symbolic links are followed.
 */
public final class RunStore {
  /** Files that only a run directory holds; a folder with one of them (or none yet) is a run. */
  private static final List<String> RUN_FILES =
      List.of("test.json", "history.jsonl", "results.json", "report.html");

  /** A run folder, group or file name: no separators, no leading dot, so no "..". */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.,:+=@-]*");

  private final Path root;

  public RunStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Every run, newest first (by timestamp folder name, then by group). */
  public List<RunSummary> list() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<RunSummary> out = new ArrayList<>();
    try (Stream<Path> groups = Files.list(root)) {
      for (Path g : groups.sorted().toList()) {
        String name = g.getFileName().toString();
        if (!NAME.matcher(name).matches()
            || name.equals("latest")
            || !Files.isDirectory(g, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (Stream<Path> runs = Files.list(g)) {
          for (Path r : runs.sorted().toList()) {
            if (NAME.matcher(r.getFileName().toString()).matches()
                && Files.isDirectory(r, LinkOption.NOFOLLOW_LINKS)) {
              out.add(RunSummary.read(r));
            }
          }
        }
      }
    }
    out.sort(Comparator.comparing(RunSummary::id).reversed().thenComparing(RunSummary::group));
    return out;
  }

  /**
   * Why {@code dir} cannot be used as a store of runs, in one line ending with what to do, or empty
   * when it can: it is missing (it will be made), or every entry is a run folder {@code
   * group/timestamp/} (empty, or holding test.json, history.jsonl, results.json or report.html),
   * the {@code latest} link or a hidden entry. A Maven module or a home directory is refused rather
   * than listed as runs or written into.
   *
   * @param option the command-line option that named the folder, for the message
   */
  public static Optional<String> refusal(Path dir, String option) throws IOException {
    if (!Files.exists(dir)) {
      return Optional.empty();
    }
    if (!Files.isDirectory(dir)) {
      return Optional.of(
          option + " " + dir + ": is a file, not a folder of runs; name a folder (default ./runs)");
    }
    List<String> foreign = new ArrayList<>();
    int count = 0;
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path e : entries.sorted().toList()) {
        String name = e.getFileName().toString();
        if (name.startsWith(".") || name.equals("latest") && Files.isSymbolicLink(e)) {
          continue;
        }
        List<String> bad =
            Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS) ? notRuns(e) : List.of(name);
        count += bad.size();
        bad.stream().limit(Math.max(0, 3 - foreign.size())).forEach(foreign::add);
      }
    }
    if (count == 0) {
      return Optional.empty();
    }
    return Optional.of(
        option
            + " "
            + dir
            + ": holds "
            + String.join(", ", foreign)
            + (count > foreign.size() ? " and " + (count - foreign.size()) + " more" : "")
            + ", which "
            + (count == 1 ? "is not a run" : "are not runs")
            + " (a run is GROUP/TIMESTAMP/ with test.json or history.jsonl); name a folder that"
            + " holds only runs, or a new one (default ./runs)");
  }

  /** The entries of a group folder that are not run folders, as {@code group/name}. */
  private static List<String> notRuns(Path group) throws IOException {
    List<String> out = new ArrayList<>();
    String g = group.getFileName().toString();
    try (Stream<Path> entries = Files.list(group)) {
      for (Path r : entries.sorted().toList()) {
        String name = r.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        if (!Files.isDirectory(r, LinkOption.NOFOLLOW_LINKS)) {
          out.add(g + "/" + name);
        } else if (!isRun(r)) {
          out.add(g + "/" + name + "/");
        }
      }
    }
    return out;
  }

  private static boolean isRun(Path dir) throws IOException {
    for (String f : RUN_FILES) {
      if (Files.exists(dir.resolve(f))) {
        return true;
      }
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** The directory of run {@code group/id}, if both names are valid and it exists in the store. */
  public Optional<Path> run(String group, String id) throws IOException {
    if (!valid(group) || !valid(id)) {
      return Optional.empty();
    }
    Path dir = root.resolve(group).resolve(id);
    return Files.isDirectory(dir) && inside(dir) ? Optional.of(dir) : Optional.empty();
  }

  /**
   * A regular file inside a run, given by a relative path of valid names (e.g. {@code
   * nodes/n1/node.log}), or empty.
   */
  public Optional<Path> file(Path runDir, String relative) throws IOException {
    if (relative == null || relative.isEmpty()) {
      return Optional.empty();
    }
    Path p = runDir;
    for (String part : relative.split("/", -1)) {
      if (!valid(part)) {
        return Optional.empty();
      }
      p = p.resolve(part);
    }
    return Files.isRegularFile(p) && inside(p) ? Optional.of(p) : Optional.empty();
  }

  private static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** True when the real path (links followed) lies under the store's real path. */
  private boolean inside(Path p) throws IOException {
    return p.toRealPath().startsWith(root.toRealPath());
  }
}
