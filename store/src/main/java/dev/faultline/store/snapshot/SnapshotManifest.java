package dev.faultline.store.snapshot;

import dev.faultline.raft.SnapshotMeta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The {@code manifest} file naming the kept snapshots, newest first, one line each, followed by a
 * checksum line over everything before it:
 *
 * <pre>
 * faultline-snapshots 1
 * snapshot index=120 term=3 size=4096 crc32c=1a2b3c4d file=...snap voters=n1,n2,n3 learners=
 * checksum 5e6f7a8b
 * </pre>
 */
final class SnapshotManifest {
  static final String NAME = "manifest";
  private static final String HEADER = "faultline-snapshots 1";

  private SnapshotManifest() {}

  static List<StoredSnapshot> read(Path dir) throws IOException {
    Path file = dir.resolve(NAME);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    int cut = text.lastIndexOf("checksum ");
    if (cut < 0) {
      throw corrupt(file, 0, "no checksum line (truncated?)");
    }
    String body = text.substring(0, cut);
    String stored = text.substring(cut + 9).trim();
    String computed = crcHex(body.getBytes(StandardCharsets.UTF_8));
    if (!stored.equals(computed)) {
      throw corrupt(
          file, 0, "checksum mismatch (stored " + stored + ", computed " + computed + ")");
    }
    String[] lines = body.split("\n");
    if (!lines[0].equals(HEADER)) {
      throw corrupt(file, 1, "expected \"" + HEADER + "\", found \"" + lines[0] + "\"");
    }
    List<StoredSnapshot> out = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      out.add(parse(file, i + 1, lines[i], dir));
    }
    return out;
  }

  private static StoredSnapshot parse(Path manifest, int line, String text, Path dir)
      throws IOException {
    String[] fields = text.split(" ", -1);
    if (fields.length != 8 || !fields[0].equals("snapshot")) {
      throw corrupt(
          manifest, line, "expected a snapshot line with 7 fields, found \"" + text + "\"");
    }
    try {
      long index = Long.parseLong(value(fields[1], "index"));
      long term = Long.parseLong(value(fields[2], "term"));
      long size = Long.parseLong(value(fields[3], "size"));
      int crc = Integer.parseUnsignedInt(value(fields[4], "crc32c"), 16);
      String name = value(fields[5], "file");
      if (name.contains("/") || name.contains("\\")) {
        throw new IllegalArgumentException("file name " + name + " is not a plain name");
      }
      Set<String> voters = ids(value(fields[6], "voters"));
      Set<String> learners = ids(value(fields[7], "learners"));
      return new StoredSnapshot(
          new SnapshotMeta(index, term, voters, learners), dir.resolve(name), size, crc);
    } catch (IllegalArgumentException e) {
      throw corrupt(manifest, line, e.getMessage());
    }
  }

  private static String value(String field, String key) {
    if (!field.startsWith(key + "=")) {
      throw new IllegalArgumentException("expected " + key + "=..., found \"" + field + "\"");
    }
    return field.substring(key.length() + 1);
  }

  private static Set<String> ids(String list) {
    return list.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(list.split(",")));
  }

  static void write(Path dir, List<StoredSnapshot> snapshots) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (StoredSnapshot s : snapshots) {
      SnapshotMeta m = s.meta();
      sb.append("snapshot index=")
          .append(m.index())
          .append(" term=")
          .append(m.term())
          .append(" size=")
          .append(s.size())
          .append(" crc32c=")
          .append(String.format("%08x", s.crc32c()))
          .append(" file=")
          .append(s.file().getFileName())
          .append(" voters=")
          .append(join(m.voters()))
          .append(" learners=")
          .append(join(m.learners()))
          .append('\n');
    }
    String body = sb.toString();
    String text = body + "checksum " + crcHex(body.getBytes(StandardCharsets.UTF_8)) + "\n";
    dev.faultline.store.wal.Fsync.replace(dir.resolve(NAME), text.getBytes(StandardCharsets.UTF_8));
  }

  /** Refuses node ids the line format cannot hold. */
  static void checkIds(Set<String> ids) {
    for (String id : ids) {
      if (id.isEmpty() || id.chars().anyMatch(c -> c <= ' ' || c == ',' || c == '=')) {
        throw new IllegalArgumentException(
            "node id \""
                + id
                + "\" cannot be stored in a snapshot manifest: ids must be"
                + " non-empty, without spaces, commas or '='");
      }
    }
  }

  private static String join(Set<String> ids) {
    return String.join(",", ids.stream().sorted().toList());
  }

  private static String crcHex(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return String.format("%08x", (int) crc.getValue());
  }

  private static IOException corrupt(Path file, int line, String why) {
    return new IOException(
        "snapshot manifest "
            + file
            + (line > 0 ? ":" + line : "")
            + " is corrupt: "
            + why
            + "; "
            + dev.faultline.store.wal.CorruptLogException.REMEDY);
  }
}
