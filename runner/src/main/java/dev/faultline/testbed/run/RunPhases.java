package dev.faultline.testbed.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Where a run's wall time goes: consecutive named phases (start, workload, heal, final reads,
 * teardown, check, results, report), each from its {@link #begin} to the next, and the events that
 * happen before the workload (nodes launched, leader ready), placed on the history's clock, whose
 * origin is the workload's start ({@link #markOrigin}). Thread-safe: the heal phase begins on a
 * worker thread.
 */
public final class RunPhases {
  /** One event on the history's clock: negative when it happened before the workload. */
  public record Event(String name, long nanos) {}

  private final LongSupplier clock;
  private final long begun;
  private final Map<String, Long> durations = new LinkedHashMap<>();
  private final Map<String, Long> eventTimes = new LinkedHashMap<>();
  private String current;
  private long currentStart;
  private long origin = Long.MIN_VALUE;
  private Instant originWallClock;

  /** Phases on {@link System#nanoTime()}. */
  public RunPhases() {
    this(System::nanoTime);
  }

  RunPhases(LongSupplier clock) {
    this.clock = clock;
    this.begun = clock.getAsLong();
  }

  /** Ends the phase in progress, if any, and begins {@code phase}. */
  public synchronized void begin(String phase) {
    long now = clock.getAsLong();
    endCurrent(now);
    current = phase;
    currentStart = now;
  }

  /** Ends the phase in progress, if any. */
  public synchronized void end() {
    endCurrent(clock.getAsLong());
    current = null;
  }

  private void endCurrent(long now) {
    if (current != null) {
      durations.merge(current, now - currentStart, Long::sum);
    }
  }

  /** Notes that {@code name} happened now. */
  public synchronized void event(String name) {
    eventTimes.put(name, clock.getAsLong());
  }

  /**
   * Makes now the origin of the history's clock (time 0: the workload starts), with its wall-clock
   * instant, which the report uses to place the nodes' log lines on that clock.
   */
  public synchronized void markOrigin(Instant wallClock) {
    origin = clock.getAsLong();
    originWallClock = wallClock;
  }

  /** The wall-clock instant of time 0, once the workload has started. */
  public synchronized Optional<Instant> origin() {
    return Optional.ofNullable(originWallClock);
  }

  /** The events so far, on the history's clock (empty until the origin is marked). */
  public synchronized List<Event> events() {
    if (origin == Long.MIN_VALUE) {
      return List.of();
    }
    var out = new ArrayList<Event>();
    eventTimes.forEach((name, at) -> out.add(new Event(name, at - origin)));
    return out;
  }

  /** The finished phases' durations, in the order they first began. */
  public synchronized Map<String, Duration> durations() {
    var out = new LinkedHashMap<String, Duration>();
    durations.forEach((name, nanos) -> out.put(name, Duration.ofNanos(nanos)));
    return out;
  }

  /** The time since this was made. */
  public Duration total() {
    return Duration.ofNanos(clock.getAsLong() - begun);
  }

  /**
   * One line: {@code phases: start 12.3 s, workload 60.0 s, ..., total 80.1 s}, each finished phase
   * in order.
   */
  public synchronized String summary() {
    var line = new StringBuilder("phases:");
    durations()
        .forEach(
            (name, d) ->
                line.append(' ')
                    .append(name)
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9))
                    .append(','));
    line.append(String.format(Locale.ROOT, " total %.1f s", total().toNanos() / 1e9));
    return line.toString();
  }

  /**
   * The {@code timeline} of results.json: the origin's wall-clock instant, the events before (and
   * after) it in seconds on the history's clock, and each finished phase's seconds.
   */
  public synchronized Map<String, Object> toMap() {
    var m = new LinkedHashMap<String, Object>();
    m.put("origin", originWallClock == null ? null : originWallClock.toString());
    m.put("origin_is", "the workload's start: time 0 of the history and the charts");
    var events = new ArrayList<Map<String, Object>>();
    for (Event e : events()) {
      var ev = new LinkedHashMap<String, Object>();
      ev.put("event", e.name());
      ev.put("at_s", Math.round(e.nanos() / 1e6) / 1e3);
      events.add(ev);
    }
    m.put("events", events);
    var phases = new LinkedHashMap<String, Object>();
    durations().forEach((name, d) -> phases.put(name, Math.round(d.toNanos() / 1e8) / 10.0));
    m.put("phases_s", phases);
    return m;
  }
}
