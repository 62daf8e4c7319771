package dev.faultline.testbed.run;

import dev.faultline.nemesis.Nemesis;
import dev.faultline.nemesis.faults.WalDamage;
import dev.faultline.nemesis.toxiproxy.ToxiproxyNet;
import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.testbed.plan.FaultPlanner;
import dev.faultline.testbed.plan.PlannedFault;
import dev.faultline.testbed.plan.PlannedWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Walks a fault schedule on its own thread: at each window's start it plans the fault, records
 * {@code start-<kind>} with the targets <em>before</em> the nemesis acts, and at the window's end
 * (or on {@link #finish}) stops it and records {@code stop-<kind>}. Every recorded start gets a
 * recorded stop, whatever fails in between; healing the whole cluster is the caller's {@code
 * finally} ({@link Nemesis#healAll}). Window times count from {@link #start}; entries are stamped
 * with the clock given (the history recorder's), so they line up with the history.
 */
public final class FaultDriver {
  /** Where the driver writes nemesis events (the history, process {@code nemesis}). */
  @FunctionalInterface
  public interface EventSink {
    void record(String f, Map<String, Object> value);
  }

  /**
   * One fault as it happened: when it started and stopped (on the clock the driver was given, the
   * history's) and what starting and stopping did.
   */
  public record Entry(
      FaultKind kind,
      PlannedFault fault,
      long startNanos,
      long stopNanos,
      PlannedFault.Outcome started,
      PlannedFault.Outcome stopped) {}

  private final Nemesis nemesis;
  private final Optional<ToxiproxyNet> links;
  private final FaultPlanner planner;
  private final List<PlannedWindow> windows;
  private final EventSink sink;
  private final LongSupplier clock;
  private final List<Entry> entries = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private volatile boolean stopping;
  private volatile FaultKind active;
  private volatile long startNanos;
  private Thread thread;

  public FaultDriver(
      Nemesis nemesis,
      FaultPlanner planner,
      List<PlannedWindow> windows,
      EventSink sink,
      LongSupplier clock) {
    this(nemesis, Optional.empty(), planner, windows, sink, clock);
  }

  /**
   * @param links where link faults ({@link FaultKind#onLinks}) go; without it they fail to start
   */
  public FaultDriver(
      Nemesis nemesis,
      Optional<ToxiproxyNet> links,
      FaultPlanner planner,
      List<PlannedWindow> windows,
      EventSink sink,
      LongSupplier clock) {
    this.nemesis = nemesis;
    this.links = links;
    this.clock = clock;
    this.planner = planner;
    this.windows = List.copyOf(windows);
    this.sink = sink;
  }

  /** Starts walking the schedule; window times count from now. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("a fault driver runs once");
    }
    startNanos = System.nanoTime();
    thread = new Thread(this::walk, "faultline-nemesis");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Ends the schedule now: the fault in force is stopped (and its stop recorded) before this
   * returns. Safe to call more than once, and before {@link #start}.
   */
  public void finish() {
    stopping = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    LockSupport.unpark(t);
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The kind of fault in force now, if any (for the progress line). */
  public Optional<FaultKind> active() {
    return Optional.ofNullable(active);
  }

  /** Faults started and stopped so far, in order. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** What went wrong planning or recording faults (the faults themselves report in outcomes). */
  public synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  private void walk() {
    for (PlannedWindow window : windows) {
      if (!waitUntil(window.start())) {
        return;
      }
      FaultKind kind = window.kind();
      PlannedFault fault;
      try {
        fault = planner.planned(kind, nemesis.leader());
      } catch (RuntimeException e) {
        problem("cannot plan " + kind.cliName() + " at " + window.start() + ": " + e.getMessage());
        continue;
      }
      if (!inject(kind, fault, window.end())) {
        return;
      }
    }
  }

  /** Runs one fault to its end; false when the driver must stop. */
  private boolean inject(FaultKind kind, PlannedFault fault, Duration end) {
    long begun = elapsed();
    try {
      sink.record(fault.startName(), fault.asValue());
    } catch (RuntimeException e) {
      problem("cannot record " + fault.startName() + ": " + e.getMessage());
      return false;
    }
    active = kind;
    PlannedFault.Outcome started = null;
    try {
      started = start(fault);
      return waitUntil(end);
    } catch (RuntimeException e) {
      started = new PlannedFault.Outcome(fault.startName(), fault.asValue(), Optional.of(text(e)));
      return false;
    } finally {
      stop(kind, fault, begun, started);
      active = null;
    }
  }

  private PlannedFault.Outcome start(PlannedFault fault) {
    if (fault instanceof PlannedFault.OnLinks l) {
      return PlannedFault.Outcome.of(requireLinks(l).start(l.fault()));
    }
    return PlannedFault.Outcome.of(nemesis.start(((PlannedFault.OnNodes) fault).fault()));
  }

  private PlannedFault.Outcome stopFault(PlannedFault fault) {
    if (fault instanceof PlannedFault.OnLinks l) {
      return PlannedFault.Outcome.of(requireLinks(l).stop(l.fault()));
    }
    return PlannedFault.Outcome.of(nemesis.stop(((PlannedFault.OnNodes) fault).fault()));
  }

  private ToxiproxyNet requireLinks(PlannedFault.OnLinks fault) {
    return links.orElseThrow(
        () ->
            new IllegalStateException(
                fault.label() + " acts on peer links and needs --net toxiproxy"));
  }

  private void stop(FaultKind kind, PlannedFault fault, long begun, PlannedFault.Outcome started) {
    PlannedFault.Outcome stopped;
    try {
      stopped = stopFault(fault);
    } catch (RuntimeException e) {
      stopped = new PlannedFault.Outcome(fault.stopName(), fault.asValue(), Optional.of(text(e)));
    }
    var value = new LinkedHashMap<String, Object>(stopped.value());
    if (started != null) {
      // What the start did (e.g. the WAL damage) is known only now; the start event came before.
      started.value().forEach(value::putIfAbsent);
      started.error().ifPresent(e -> value.put("start-error", e));
    }
    stopped.error().ifPresent(e -> value.put("stop-error", e));
    try {
      var recorded = new LinkedHashMap<String, Object>();
      value.forEach((k, x) -> recorded.put(k, historyValue(x)));
      sink.record(fault.stopName(), recorded);
    } catch (RuntimeException e) {
      problem("cannot record " + fault.stopName() + ": " + e.getMessage());
      // The window must end in the history whatever its value holds: record the bare fault.
      try {
        var bare = new LinkedHashMap<String, Object>(fault.asValue());
        bare.put("record-error", text(e));
        sink.record(fault.stopName(), bare);
      } catch (RuntimeException again) {
        problem("cannot record " + fault.stopName() + " at all: " + again.getMessage());
      }
    }
    synchronized (this) {
      entries.add(new Entry(kind, fault, begun, elapsed(), started, stopped));
    }
  }

  /**
   * {@code v} with what the nemesis reports as objects (a disk fault's {@link WalDamage}) turned
   * into history values (maps of strings and numbers), so that the event can be recorded.
   */
  static Object historyValue(Object v) {
    if (v instanceof WalDamage damage) {
      return damage.asValue();
    }
    if (v instanceof Map<?, ?> map) {
      var out = new LinkedHashMap<String, Object>();
      map.forEach((k, x) -> out.put(String.valueOf(k), historyValue(x)));
      return out;
    }
    if (v instanceof List<?> list) {
      return list.stream().map(FaultDriver::historyValue).toList();
    }
    return v;
  }

  /** Parks until {@code at} after the start; false when told to stop first. */
  private boolean waitUntil(Duration at) {
    long deadline = startNanos + at.toNanos();
    while (!stopping) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      LockSupport.parkNanos(Math.min(left, Duration.ofMillis(200).toNanos()));
    }
    return false;
  }

  private long elapsed() {
    return clock.getAsLong();
  }

  private synchronized void problem(String text) {
    problems.add(text);
  }

  private static String text(RuntimeException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
