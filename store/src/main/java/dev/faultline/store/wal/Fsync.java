package dev.faultline.store.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The durable-file primitives: fsync of a directory (so a created, renamed or deleted name survives
 * a crash) and the write-temp, fsync, rename, fsync-directory replacement of a file.
 */
public final class Fsync {
  private Fsync() {}

  /** Makes the directory's entries (creations, renames, deletions) durable. */
  public static void directory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Replaces {@code target} with {@code content} atomically: after a crash the file holds either
   * the old content or the new, never a mix.
   */
  public static void replace(Path target, byte[] content) throws IOException {
    Path tmp = writeTemp(target, content);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    directory(target.toAbsolutePath().getParent());
  }

  /** The first half of {@link #replace}: {@code target + ".tmp"} written and fsync'd. */
  static Path writeTemp(Path target, byte[] content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, ByteBuffer.wrap(content), 0);
      ch.force(true);
    }
    return tmp;
  }

  static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new java.io.EOFException("unexpected end of file at offset " + pos);
      }
      pos += n;
    }
  }
}
