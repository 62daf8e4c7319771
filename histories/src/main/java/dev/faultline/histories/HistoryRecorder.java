package dev.faultline.histories;

import dev.faultline.histories.format.JsonLinesWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Records a history as it happens, from any number of threads, as JSON Lines: each op is written
 * and flushed when it is recorded, so a crash leaves a readable prefix (at worst a torn last line,
 * which the reader reports by its line number). Times are {@link System#nanoTime()} since {@link
 * #open}, taken under the recorder's lock so they never decrease in file order.
 */
public final class HistoryRecorder implements AutoCloseable {
  private final Path file;
  private final Writer out;
  private final long start;
  private final HistoryBuilder builder = new HistoryBuilder();
  private boolean closed;

  private HistoryRecorder(Path file, Writer out) {
    this.file = file;
    this.out = out;
    this.start = System.nanoTime();
  }

  /** Creates (or truncates) {@code file} and starts the clock. */
  public static HistoryRecorder open(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Writer w =
        new BufferedWriter(
            Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE));
    return new HistoryRecorder(file, w);
  }

  /** Records that {@code process} invokes {@code f}; the returned op is what to complete. */
  public Op invoke(long process, String f, Object key, Object value) {
    if (process < 0) {
      throw new IllegalArgumentException("client process ids are >= 0, got " + process);
    }
    return record(process, OpType.INVOKE, f, key, value, null, null);
  }

  /**
   * Records the completion of {@code invoke}: {@code ok}, {@code fail} (certainly did not happen)
   * or {@code info} (may have happened).
   */
  public Op complete(Op invoke, OpType type, Object value, String node, String error) {
    if (!type.isCompletion()) {
      throw new IllegalArgumentException("a completion is ok, fail or info, not " + type);
    }
    return record(invoke.process(), type, invoke.f(), invoke.key(), value, node, error);
  }

  /** Records a nemesis event, such as the start or end of a partition. */
  public Op nemesis(OpType type, String f, Object value) {
    return record(Op.NEMESIS, type, f, null, value, null, null);
  }

  /** Nanoseconds since the recorder was opened, on the clock ops are stamped with. */
  public long nanosSinceStart() {
    return System.nanoTime() - start;
  }

  /** The ops recorded so far, as a history. */
  public synchronized History history() {
    return builder.build();
  }

  private synchronized Op record(
      long process, OpType type, String f, Object key, Object value, String node, String error) {
    if (closed) {
      throw new IllegalStateException("history recorder for " + file + " is closed");
    }
    Op op =
        new Op(
            builder.size(),
            nanosSinceStart(),
            process,
            type,
            f,
            Values.normalize(key),
            Values.normalize(value),
            node,
            error);
    // Pair first: an op that does not fit is refused and never reaches the file.
    Op stored = builder.add(op);
    try {
      out.write(JsonLinesWriter.line(stored));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to history " + file, e);
    }
    return stored;
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
