package dev.faultline.api;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One log line per refused request (bad input, a body too slow or cut short), at most {@code
 * perSecond} lines a second; the first line after a quiet spell says how many were left out, so a
 * flood of bad requests cannot fill the disk or drown the node's other log lines. Never a stack
 * trace: a refusal is the client's problem, not the node's.
 */
public final class RefusalLog {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final int MAX_DETAIL = 200;

  private final Logger log;
  private final int perSecond;
  private long windowStart = System.nanoTime();
  private int inWindow;
  private final AtomicLong suppressed = new AtomicLong();

  public RefusalLog(Logger log, int perSecond) {
    this.log = log;
    this.perSecond = perSecond;
  }

  /** Logs (or counts) one refusal: where it came in, what was refused, and why. */
  public void refused(String edge, String what, String why) {
    if (!take()) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    log.warn(
        "refused {} {}: {}{}",
        edge,
        oneLine(what),
        oneLine(why),
        skipped == 0 ? "" : " (" + skipped + " earlier refusals not logged)");
  }

  private synchronized boolean take() {
    long now = System.nanoTime();
    if (now - windowStart >= SECOND) {
      windowStart = now;
      inWindow = 0;
    }
    return inWindow++ < perSecond;
  }

  /** {@code text} on one line, cut to a length fit for a log line. */
  public static String oneLine(String text) {
    String s = text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
  }
}
