package dev.faultline.testbed.bench;

import dev.faultline.store.wal.WalOptions;
import dev.faultline.testbed.DurationConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code faultline bench fsync}: what one durable append costs on a directory's filesystem, the way
 * a write-ahead log pays it: append a block to a file, then {@code fdatasync} it ({@link
 * FileChannel#force(boolean)} with {@code false}), one after another, timed one by one. Two files
 * take turns, op by op, so both see the same disk: one grows with every append (each fdatasync must
 * also commit its new length), the other is written into zeros written ahead of it, 1 MiB at a
 * time, as Faultline's WAL does ({@code WalOptions.preallocateBytes}). With {@code --writers N}, N
 * threads do the same at once, each with files of its own: the disk as the N nodes of a cluster on
 * one machine share it (three at once took 0.36 ms per sync where one alone took 0.16 ms).
 */
@Command(
    name = "fsync",
    mixinStandardHelpOptions = true,
    description = {
      "Time appends of a block followed by fdatasync, one at a time, in a directory (the cost a"
          + " write-ahead log pays per group commit), taking turns with writes into zeros written"
          + " ahead as Faultline's WAL does; prints mean and percentiles of both."
    })
public final class FsyncCommand implements Callable<Integer> {
  /** The zeros written ahead at a time: the WAL's default. */
  static final int AHEAD_BYTES = (int) WalOptions.DEFAULT.preallocateBytes();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dir",
      defaultValue = ".",
      description = "Directory whose filesystem is measured (default: the current one).")
  Path dir;

  @Option(
      names = "--count",
      defaultValue = "2000",
      description = "Appends to time (default ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--size",
      defaultValue = "4096",
      description = "Bytes per append (default ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--writers",
      defaultValue = "1",
      description =
          "Writers syncing at once, each with files of its own (default ${DEFAULT-VALUE}); 3 is"
              + " the disk as a 3-node cluster on this machine shares it.")
  int writers;

  @Option(
      names = "--max-time",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "Stop after this long even if --count is not reached (default ${DEFAULT-VALUE}).")
  Duration maxTime;

  @Override
  public Integer call() throws IOException {
    if (count < 1 || count > 1_000_000) {
      throw new IllegalArgumentException("--count must be 1 to 1000000, was " + count);
    }
    if (size < 1 || size > 1 << 20) {
      throw new IllegalArgumentException("--size must be 1 to 1048576, was " + size);
    }
    if (writers < 1 || writers > 16) {
      throw new IllegalArgumentException("--writers must be 1 to 16, was " + writers);
    }
    if (maxTime.isNegative() || maxTime.isZero()) {
      throw new IllegalArgumentException("--max-time must be positive, was " + maxTime);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "--dir " + dir + ": not a directory; give an existing directory on the disk to measure");
    }
    Histogram h = new Histogram(3);
    Histogram ahead = new Histogram(3);
    long began = System.nanoTime();
    long deadline = began + maxTime.toNanos();
    atOnce(deadline, h, ahead);
    double seconds = (System.nanoTime() - began) / 1e9;
    String fs = Files.getFileStore(dir).type();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "fsync in %s (%s): %d x %d-byte append + fdatasync (%.2f s, both ways%s): mean %.3f ms, p50"
            + " %.3f, p99 %.3f, max %.3f ms (%.0f per second%s)%n",
        dir.toAbsolutePath().normalize(),
        fs,
        h.getTotalCount(),
        size,
        seconds,
        writers == 1 ? "" : ", " + writers + " writers at once",
        h.getMean() / 1e6,
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        h.getMaxValue() / 1e6,
        1e9 / h.getMean(),
        writers == 1 ? "" : " each");
    result(out, "fsync", fs, h);
    out.printf(
        Locale.ROOT,
        "  into zeros written ahead (as the WAL writes): mean %.3f ms, p50 %.3f, p99 %.3f, max"
            + " %.3f ms%n",
        ahead.getMean() / 1e6,
        ahead.getValueAtPercentile(50) / 1e6,
        ahead.getValueAtPercentile(99) / 1e6,
        ahead.getMaxValue() / 1e6);
    result(out, "fsync-ahead", fs, ahead);
    out.flush();
    return 0;
  }

  /** Runs {@link #time} on {@code writers} threads at once, adding their figures to the given. */
  private void atOnce(long deadline, Histogram h, Histogram ahead) throws IOException {
    List<Histogram[]> each = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicReference<IOException> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(writers);
    for (int w = 0; w < writers; w++) {
      Histogram[] mine = {new Histogram(3), new Histogram(3)};
      each.add(mine);
      Thread t =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  ready.await();
                  time(deadline, mine[0], mine[1]);
                } catch (IOException e) {
                  failure.compareAndSet(null, e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "fsync-writer-" + w);
      threads.add(t);
      t.start();
    }
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      threads.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + writers + " writers were syncing", e);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    for (Histogram[] mine : each) {
      h.add(mine[0]);
      ahead.add(mine[1]);
    }
  }

  /**
   * One writer: {@code count} appends (until {@code deadline}) to a file of its own that grows, in
   * turn with writes into zeros written ahead in another, each followed by fdatasync and timed.
   */
  private void time(long deadline, Histogram h, Histogram ahead) throws IOException {
    Path file = Files.createTempFile(dir, "faultline-fsync-", ".bin");
    Path aheadFile = Files.createTempFile(dir, "faultline-fsync-ahead-", ".bin");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
        FileChannel into = FileChannel.open(aheadFile, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocateDirect(size);
      for (int i = 0; i < size; i++) {
        block.put(i, (byte) ('a' + i % 26));
      }
      ByteBuffer zeros = ByteBuffer.allocateDirect(AHEAD_BYTES);
      long position = 0;
      long written = 0;
      for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
        block.clear();
        long t0 = System.nanoTime();
        while (block.hasRemaining()) {
          ch.write(block);
        }
        ch.force(false);
        h.recordValue(System.nanoTime() - t0);
        if (position + size > written) {
          // Not timed: the WAL pays this once per 1 MiB, not per append.
          for (zeros.clear(); zeros.hasRemaining(); ) {
            written += into.write(zeros, written);
          }
          into.force(false);
        }
        block.clear();
        long t1 = System.nanoTime();
        while (block.hasRemaining()) {
          position += into.write(block, position);
        }
        into.force(false);
        ahead.recordValue(System.nanoTime() - t1);
      }
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(aheadFile);
    }
  }

  /** The machine-readable line of one way of writing: {@code RESULT NAME fs=... mean_ms=...}. */
  private void result(PrintWriter out, String name, String fs, Histogram h) {
    out.printf(
        Locale.ROOT,
        "RESULT %s fs=%s count=%d size=%d mean_ms=%.3f p50_ms=%.3f p99_ms=%.3f writers=%d%n",
        name,
        fs,
        h.getTotalCount(),
        size,
        h.getMean() / 1e6,
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        writers);
  }
}
