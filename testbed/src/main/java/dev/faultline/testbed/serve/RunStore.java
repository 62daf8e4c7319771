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
