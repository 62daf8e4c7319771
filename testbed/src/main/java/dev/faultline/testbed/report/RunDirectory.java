package dev.faultline.testbed.run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One run's directory, {@code <store>/<name>/<timestamp>/}, and the files it holds. {@code
 * <store>/latest} is a relative symbolic link to the newest run, replaced atomically (a reader sees
 * the old link or the new one, never none).
 */
public record RunDirectory(Path store, Path dir) {
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
    return dir.resolve("test.json");
  }

  public Path historyJsonl() {
    return dir.resolve("history.jsonl");
  }

  public Path historyEdn() {
    return dir.resolve("history.edn");
  }

  public Path resultsJson() {
    return dir.resolve("results.json");
  }

  public Path checkHtml() {
    return dir.resolve("check.html");
  }

  /** The nodes' collected logs: {@code nodes/<id>/}. */
  public Path nodes() {
    return dir.resolve("nodes");
  }

  /** The nodes' working state while they run (data directories, output). */
  public Path work() {
    return dir.resolve("work");
  }
}
