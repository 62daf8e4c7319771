package dev.faultline.workloads.client;

import dev.faultline.histories.OpType;
import dev.faultline.workloads.Command;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Client} over a {@link KvPort}: integers travel as decimal strings, a set is stored as
 * its comma-separated elements under one key, and an add is a read followed by a compare-and-set
 * that appends, retried while other writers win the race.
 *
 * <p>Because every retry starts from a compare-and-set that certainly did not swap, an add that
 * gives up after {@code maxAddAttempts} is a definite failure; the first unknown compare-and-set
 * ends the add as {@code info}. A read has no effect, so a read with an unknown outcome is recorded
 * as {@code fail}, which spares the checker an open-ended op (Jepsen's clients do the same).
 */
public final class PortClient implements Client {
  private final KvPort port;
  private final int maxAddAttempts;

  public PortClient(KvPort port, int maxAddAttempts) {
    if (maxAddAttempts < 1) {
      throw new IllegalArgumentException(
          "maxAddAttempts must be at least 1, was " + maxAddAttempts);
    }
    this.port = port;
    this.maxAddAttempts = maxAddAttempts;
  }

  public PortClient(KvPort port) {
    this(port, 32);
  }

  @Override
  public Completion execute(Command command) {
    if (command instanceof Command.Read r) {
      return read(r.key(), false);
    } else if (command instanceof Command.ReadSet r) {
      return read(r.key(), true);
    } else if (command instanceof Command.Write w) {
      return port.put(w.key(), Long.toString(w.value())).withValue(w.invokeValue());
    } else if (command instanceof Command.Delete d) {
      return port.delete(d.key()).withValue(null);
    } else if (command instanceof Command.Cas c) {
      return port.cas(c.key(), Long.toString(c.expected()), Long.toString(c.value()))
          .withValue(c.invokeValue());
    } else if (command instanceof Command.Add a) {
      return add(a).withValue(a.invokeValue());
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  private Completion read(String key, boolean set) {
    Completion c = port.get(key);
    if (c.isInfo()) {
      return new Completion(OpType.FAIL, null, c.node(), c.error());
    }
    if (!c.isOk()) {
      return c.withValue(null);
    }
    String raw = (String) c.value();
    return c.withValue(set ? decodeSet(raw) : decodeInteger(raw));
  }

  private Completion add(Command.Add a) {
    String element = Long.toString(a.element());
    Completion last = null;
    for (int attempt = 0; attempt < maxAddAttempts; attempt++) {
      if (attempt > 0) {
        // Randomised backoff so that racing adders do not collide in lock step.
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000, 1_000_000L * attempt));
      }
      Completion current = port.get(a.key());
      if (!current.isOk()) {
        return new Completion(OpType.FAIL, null, current.node(), "add-read-" + current.error());
      }
      String stored = (String) current.value();
      String next = stored == null || stored.isEmpty() ? element : stored + "," + element;
      last = port.cas(a.key(), stored, next);
      if (last.type() != OpType.FAIL || !KvPort.CAS_MISMATCH.equals(last.error())) {
        return last;
      }
    }
    return new Completion(OpType.FAIL, null, last.node(), "add-contention");
  }

  /** An integer register's value; a value that is not an integer is kept as its string. */
  static Object decodeInteger(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      return raw;
    }
  }

  /** A stored set's elements in stored order (duplicates kept, so they can be detected). */
  static List<Object> decodeSet(String raw) {
    if (raw == null || raw.isEmpty()) {
      return List.of();
    }
    List<Object> out = new ArrayList<>();
    for (String part : raw.split(",", -1)) {
      out.add(decodeInteger(part));
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public void close() {
    try {
      port.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the " + port.getClass().getSimpleName(), e);
    }
  }
}
