package dev.faultline.testbed.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the lines of each node's log around a moment of the run. When the run's wall-clock start is
 * known and a log's lines begin with timestamps (ISO date-time, or logback's {@code HH:mm:ss.SSS}
 * read on the start's date), the lines within {@link #AROUND} of the moment are taken, with the
 * untimed lines (stack traces) that follow them. Otherwise the last {@link #TAIL} lines are taken.
 * Each excerpt says which.
 */
public final class NodeLogs {
  private NodeLogs() {}

  /** How far either side of the moment lines are taken from, in nanoseconds. */
  public static final long AROUND = 5_000_000_000L;

  /** How many lines are taken from the end of a log without usable timestamps. */
  public static final int TAIL = 40;

  /** The most lines kept from one log. */
  public static final int MAX_LINES = 200;

  private static final long MAX_BYTES = 32L << 20;

  private static final Pattern DATE_TIME =
      Pattern.compile(
          "^\\[?(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}:\\d{2})(?:[.,](\\d{1,9}))?"
              + "(Z|[+-]\\d{2}:?\\d{2})?");
  private static final Pattern TIME_OF_DAY =
      Pattern.compile("^\\[?(\\d{2}:\\d{2}:\\d{2})[.,](\\d{1,9})");

  /**
   * An excerpt of one node's log.
   *
   * @param node the node, from the log's folder name
   * @param file the log file
   * @param lines the lines taken
   * @param how how they were chosen, in words
   */
  public record Excerpt(String node, Path file, List<String> lines, String how) {}

  /**
   * Excerpts of every log.
   *
   * @param runStart the run's wall-clock start, or null when unknown
   * @param moment nanoseconds since the run began to centre on, or -1 for the end of the logs
   * @param zone the zone of timestamps that carry none
   */
  public static List<Excerpt> around(List<Path> logs, Instant runStart, long moment, ZoneId zone)
      throws IOException {
    List<Excerpt> out = new ArrayList<>();
    for (Path log : logs) {
      out.add(excerpt(log, readLines(log), runStart, moment, zone));
    }
    return out;
  }

  /** The excerpt of one log's lines; a pure function of its arguments. */
  public static Excerpt excerpt(
      Path file, List<String> lines, Instant runStart, long moment, ZoneId zone) {
    String node = file.getParent() == null ? "?" : file.getParent().getFileName().toString();
    if (runStart != null && moment >= 0) {
      Instant at = runStart.plusNanos(moment);
      Instant from = at.minusNanos(AROUND);
      Instant to = at.plusNanos(AROUND);
      LocalDate day = LocalDateTime.ofInstant(runStart, zone).toLocalDate();
      List<String> taken = new ArrayList<>();
      boolean timed = false;
      boolean inside = false;
      for (String line : lines) {
        Instant t = timestamp(line, day, zone);
        if (t != null) {
          timed = true;
          inside = !t.isBefore(from) && !t.isAfter(to);
        }
        if (inside && taken.size() < MAX_LINES) {
          taken.add(line);
        }
      }
      if (timed && !taken.isEmpty()) {
        return new Excerpt(
            node,
            file,
            List.copyOf(taken),
            "lines stamped within 5 s of " + at + " (matched by wall clock)");
      }
      if (timed) {
        return tail(node, file, lines, "no line is stamped within 5 s of " + at + "; the last ");
      }
    }
    return tail(
        node,
        file,
        lines,
        runStart == null || moment < 0 ? "the last " : "the lines carry no timestamps; the last ");
  }

  private static Excerpt tail(String node, Path file, List<String> lines, String why) {
    int from = Math.max(0, lines.size() - TAIL);
    return new Excerpt(
        node, file, List.copyOf(lines.subList(from, lines.size())), why + TAIL + " lines");
  }

  /** The wall-clock time a log line begins with, or null. */
  static Instant timestamp(String line, LocalDate day, ZoneId zone) {
    Matcher m = DATE_TIME.matcher(line);
    if (m.find()) {
      LocalDateTime t =
          LocalDateTime.of(LocalDate.parse(m.group(1)), LocalTime.parse(m.group(2)))
              .withNano(nanos(m.group(3)));
      String offset = m.group(4);
      return offset == null
          ? t.atZone(zone).toInstant()
          : t.toInstant(ZoneOffset.of(offset.equals("Z") ? "Z" : normalise(offset)));
    }
    m = TIME_OF_DAY.matcher(line);
    if (m.find()) {
      LocalTime t = LocalTime.parse(m.group(1)).withNano(nanos(m.group(2)));
      return LocalDateTime.of(day, t).atZone(zone).toInstant();
    }
    return null;
  }

  private static String normalise(String offset) {
    return offset.length() == 5 ? offset.substring(0, 3) + ":" + offset.substring(3) : offset;
  }

  private static int nanos(String fraction) {
    if (fraction == null) {
      return 0;
    }
    return Integer.parseInt((fraction + "000000000").substring(0, 9));
  }

  /** A log's lines, decoding leniently; a huge log is read from its last 32 MiB. */
  static List<String> readLines(Path log) throws IOException {
    byte[] bytes;
    long size = Files.size(log);
    if (size > MAX_BYTES) {
      try (FileChannel ch = FileChannel.open(log)) {
        ByteBuffer buf = ByteBuffer.allocate((int) MAX_BYTES);
        ch.position(size - MAX_BYTES);
        while (buf.hasRemaining() && ch.read(buf) >= 0) {
          // keep reading until the buffer is full or the file ends
        }
        bytes = Arrays.copyOf(buf.array(), buf.position());
      }
    } else {
      bytes = Files.readAllBytes(log);
    }
    return new String(bytes, StandardCharsets.UTF_8).lines().toList();
  }
}
