package dev.faultline.testbed.bench;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The leader a load drives, followed when it moves, as a client of the store would: a server that
 * names another leader is believed at once; a leader that stops answering, or refuses without
 * naming another, makes one thread ask the targets again, at most once per {@link
 * #LOOKUP_EVERY_NANOS} while the others carry on (their operations in the meantime count as
 * errors).
 *
 * @param <A> how a server is addressed (a base URL, or {@code host:port})
 */
final class LeaderWatch<A> {

  /** The least time between two lookups among the targets. */
  static final long LOOKUP_EVERY_NANOS = 250_000_000L;

  private final Callable<A> lookup;
  private final ReentrantLock looking = new ReentrantLock();
  private final AtomicInteger changes = new AtomicInteger();
  private volatile A leader;
  private volatile long lastLookup = System.nanoTime() - LOOKUP_EVERY_NANOS;

  /**
   * @param first the leader found before the load started
   * @param lookup asks the targets which is the leader now (throws when none answers)
   */
  LeaderWatch(A first, Callable<A> lookup) {
    this.leader = first;
    this.lookup = lookup;
  }

  A current() {
    return leader;
  }

  /** How many times the leader moved since the load started. */
  int changes() {
    return changes.get();
  }

  /** A server named {@code named} as the leader. */
  void named(A named) {
    move(named);
  }

  /**
   * The leader did not answer, or refused without naming another: asks the targets again, unless
   * another thread is doing so or did within {@link #LOOKUP_EVERY_NANOS}. Blocks while it asks.
   */
  void lost() {
    if (System.nanoTime() - lastLookup < LOOKUP_EVERY_NANOS || !looking.tryLock()) {
      return;
    }
    try {
      if (System.nanoTime() - lastLookup < LOOKUP_EVERY_NANOS) {
        return;
      }
      A found;
      try {
        found = lookup.call();
      } catch (Exception noneAnswered) {
        return; // the next failure asks again
      } finally {
        lastLookup = System.nanoTime();
      }
      move(found);
    } finally {
      looking.unlock();
    }
  }

  private synchronized void move(A to) {
    if (to != null && !to.equals(leader)) {
      leader = to;
      changes.incrementAndGet();
    }
  }
}
