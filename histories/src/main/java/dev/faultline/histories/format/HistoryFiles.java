package dev.faultline.histories.format;

import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes history files. Reading streams the file once; writing goes to a temporary file
 * in the same directory that is renamed over the target only when complete, so a failure never
 * leaves half a history behind.
 */
public final class HistoryFiles {
  private static final int BUFFER = 1 << 16;

  private HistoryFiles() {}

  /** Reads a history, detecting its format from its content ({@link HistoryFormat#detect}). */
  public static History read(Path file) throws IOException {
    return read(file, HistoryFormat.detect(file));
  }

  /**
   * Reads a history in the given format.
   *
   * @throws HistoryFormatException at the first line that is malformed or does not pair up
   */
  public static History read(Path file, HistoryFormat format) throws IOException {
    String source = file.toString();
    return switch (format) {
      case JSONL -> {
        try (InputStream in = Files.newInputStream(file)) {
          yield new JsonLinesReader(source).read(in);
        }
      }
      case EDN -> readText(file, in -> new EdnHistoryReader(source, false).read(in));
      case PORCUPINE_KV -> readText(file, in -> new EdnHistoryReader(source, true).read(in));
      case JEPSEN_LOG -> readText(file, in -> new JepsenLogReader(source).read(in));
    };
  }

  /** A reader of one text format. */
  private interface TextReader {
    History read(BufferedReader in) throws IOException;
  }

  private static History readText(Path file, TextReader reader) throws IOException {
    try (BufferedReader in =
        new BufferedReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), BUFFER)) {
      return reader.read(in);
    } catch (java.nio.charset.CharacterCodingException e) {
      HistoryFormatException located = Utf8Text.firstMalformed(file.toString(), file);
      if (located != null) {
        throw located;
      }
      throw e;
    }
  }

  /** Writes a history as JSON Lines or EDN, replacing {@code file} atomically. */
  public static void write(History history, Path file, HistoryFormat format) throws IOException {
    write(history.ops(), file, format);
  }

  /** Writes ops as JSON Lines or EDN, replacing {@code file} atomically. */
  public static void write(Iterable<Op> ops, Path file, HistoryFormat format) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        Writer w =
            new BufferedWriter(
                new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8),
                BUFFER);
        OpWriter out = OpWriter.of(format, w);
        for (Op op : ops) {
          out.write(op);
        }
        out.flush();
        ch.force(true);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
