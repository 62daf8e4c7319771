package dev.faultline.nemesis.faults;

import dev.faultline.nemesis.os.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A skewed clock for one node, through libfaketime preloaded into the node's JVM ({@code
 * LD_PRELOAD} and {@code FAKETIME} in its environment, so the pid stays the JVM's). An offset moves
 * {@code System.currentTimeMillis} and {@code Instant.now}; a rate makes the whole process run fast
 * or slow, {@code nanoTime} and timed waits included. See docs/NEMESIS.md for what was measured.
 *
 * @param spec the {@code FAKETIME} value, e.g. {@code +86400} or {@code +0 x2.0}
 * @param fakeMonotonic whether {@code CLOCK_MONOTONIC} (hence {@code System.nanoTime} and timed
 *     waits) follows the fake clock; libfaketime's default is yes
 */
public record ClockFault(String spec, boolean fakeMonotonic) {
  private static final List<String> LIBRARY_DIRS =
      List.of(
          "/usr/lib/x86_64-linux-gnu/faketime",
          "/usr/lib/aarch64-linux-gnu/faketime",
          "/usr/lib/faketime",
          "/usr/local/lib/faketime");

  public ClockFault {
    if (spec.isBlank()) {
      throw new IllegalArgumentException("empty FAKETIME spec: use e.g. +86400 or +0 x2.0");
    }
  }

  /** The wall clock moved by {@code offset} (negative for the past); it keeps the real rate. */
  public static ClockFault offset(Duration offset) {
    long seconds = offset.toSeconds();
    return new ClockFault((seconds < 0 ? "-" : "+") + Math.abs(seconds), true);
  }

  /**
   * Every clock of the process runs at {@code rate} times real time. The offset {@code +0} is
   * required: libfaketime ignores a rate given alone ({@code x2}), which is why an earlier check
   * here saw no effect.
   */
  public static ClockFault rate(double rate) {
    if (!(rate > 0)) {
      throw new IllegalArgumentException("clock rate must be positive, got " + rate);
    }
    return new ClockFault(String.format(Locale.ROOT, "+0 x%.3f", rate), true);
  }

  /** The environment to add to the node's command. */
  public Map<String, String> env() {
    Path library =
        library()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "libfaketime not found: install the Debian package 'faketime'"));
    var env = new LinkedHashMap<String, String>();
    String preload = System.getenv("LD_PRELOAD");
    env.put(
        "LD_PRELOAD",
        preload == null || preload.isBlank() ? library.toString() : library + ":" + preload);
    env.put("FAKETIME", spec);
    if (!fakeMonotonic) {
      env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }
    return env;
  }

  /** The history value of this fault. */
  public Map<String, Object> asValue() {
    return Map.of("faketime", spec, "fake-monotonic", fakeMonotonic);
  }

  /** Finds libfaketime, installing the {@code faketime} package first when real root. */
  public static Optional<Path> library() {
    Optional<Path> found = findLibrary();
    if (found.isEmpty()) {
      try {
        Tool.FAKETIME.require();
      } catch (IllegalStateException missing) {
        return Optional.empty();
      }
      found = findLibrary();
    }
    return found;
  }

  private static Optional<Path> findLibrary() {
    return LIBRARY_DIRS.stream()
        .map(dir -> Path.of(dir, "libfaketime.so.1"))
        .filter(Files::isRegularFile)
        .findFirst();
  }
}
