package dev.faultline.testbed.run;

import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.workloads.run.Progress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one line that shows a run's progress on stderr: rewritten in place ({@code \r}) every second
 * on a terminal, otherwise printed as a new line every ten seconds so logs stay readable.
 */
public final class ProgressLine implements AutoCloseable {
  /** What the line shows at one moment. */
  public record Snapshot(Progress progress, Optional<FaultKind> fault) {}

  private final PrintStream out;
  private final boolean terminal;
  private final Duration total;
  private final Supplier<Snapshot> source;
  private final Thread thread;
  private volatile boolean closed;
  private int lastWidth;

  public ProgressLine(
      PrintStream out, boolean terminal, Duration total, Supplier<Snapshot> source) {
    this.out = out;
    this.terminal = terminal;
    this.total = total;
    this.source = source;
    this.thread = new Thread(this::loop, "faultline-progress");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /**
   * E.g. {@code [ 12/60 s] 850 ops/s ok 9800 fail 120 info 3 fault: partition}; the elapsed time is
   * capped at the total, since the final phase runs past it.
   */
  public static String format(Snapshot s, Duration total) {
    Progress p = s.progress();
    long elapsed = Math.min(p.elapsedNanos() / 1_000_000_000L, total.toSeconds());
    return String.format(
        Locale.ROOT,
        "[%3d/%d s]  %.0f ops/s  ok %d  fail %d  info %d  fault: %s",
        elapsed,
        total.toSeconds(),
        p.opsPerSecond(),
        p.ok(),
        p.fail(),
        p.info(),
        s.fault().map(FaultKind::cliName).orElse("none"));
  }

  private void loop() {
    long period = terminal ? 1_000 : 10_000;
    while (!closed) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      if (!closed) {
        print();
      }
    }
  }

  private synchronized void print() {
    String line = format(source.get(), total);
    if (terminal) {
      int pad = Math.max(0, lastWidth - line.length());
      out.print("\r" + line + " ".repeat(pad));
      lastWidth = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Stops updating and ends the in-place line so the next output starts on a fresh line. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    synchronized (this) {
      if (terminal && lastWidth > 0) {
        out.println();
        out.flush();
      }
    }
  }
}
