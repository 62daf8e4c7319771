package dev.faultline.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A map from byte-string keys to byte-array values, split into 2^k shards by a hash of the key,
 * each guarded by its own lock. A shard that deletes have left sparse is rebuilt into a right-sized
 * table in the background; the rebuild freezes the old table, sends writes that arrive meanwhile to
 * a delta, copies the frozen table without the lock, and replays the delta under the lock before
 * the swap, so no write is lost whatever the timing.
 *
 * <p>A rebuild runs as two tasks on the rebuild executor: the freeze, then the copy and swap. By
 * default the executor is a daemon thread of the map's own; a deterministic simulator passes one
 * that runs each task as a simulated event, so writes land between the freeze and the swap at times
 * the seed decides.
 *
 * <p>Keys and values are copied in and out: no caller can change what the map holds.
 */
public final class ShardedMap implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardedMap.class);

  /** A pause point inside a rebuild, for tests that need a write to land mid-copy. */
  @FunctionalInterface
  public interface RebuildProbe {
    RebuildProbe NONE = shard -> {};

    /** Called on the rebuilding thread once half the frozen entries are copied. */
    void midCopy(int shard);
  }

  /** What a compare-and-set found: whether it swapped, and the value before it (null = absent). */
  public record CasOutcome(boolean swapped, byte[] previous) {}

  private final StoreOptions options;
  private final Shard[] shards;
  private final int shift;
  private final AtomicLong rebuildsStarted = new AtomicLong();
  private final AtomicLong rebuildsCompleted = new AtomicLong();
  private final AtomicLong entriesMoved = new AtomicLong();
  private final AtomicLong reclaimedBytes = new AtomicLong();
  private volatile RebuildProbe probe = RebuildProbe.NONE;
  private final Executor given;
  private ExecutorService rebuilder;
  private boolean closed;

  /** The state a rebuild froze: the table it copies, its generation and the peak before. */
  private record Frozen(HashMap<Bytes, byte[]> table, long generation, int peakBefore) {}

  public ShardedMap() {
    this(StoreOptions.DEFAULT);
  }

  /** A map that rebuilds on a daemon thread of its own, started at the first rebuild. */
  public ShardedMap(StoreOptions options) {
    this(options, null);
  }

  /**
   * A map that runs its rebuilds' tasks on {@code rebuilds} (null: a thread of its own). The map
   * never shuts a given executor down.
   */
  public ShardedMap(StoreOptions options, Executor rebuilds) {
    this.options = options;
    this.given = rebuilds;
    this.shards = new Shard[options.shards()];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = new Shard(i);
    }
    this.shift = 32 - Integer.numberOfTrailingZeros(options.shards());
  }

  public StoreOptions options() {
    return options;
  }

  public int shardCount() {
    return shards.length;
  }

  /** The shard that holds {@code key}. */
  public int shardOf(byte[] key) {
    return shardOf(Bytes.wrap(key));
  }

  int shardOf(Bytes key) {
    // Fibonacci hashing takes the top bits, leaving the low bits HashMap uses inside the shard
    // independent of the shard choice.
    return shift == 32 ? 0 : (key.hashCode() * 0x9E3779B9) >>> shift;
  }

  /** The value of {@code key}, or null when absent. */
  public byte[] get(byte[] key) {
    options.limits().checkKey(key);
    byte[] v = getShared(Bytes.wrap(key));
    return v == null ? null : v.clone();
  }

  /** Stores {@code value} under {@code key}; returns the previous value or null. */
  public byte[] put(byte[] key, byte[] value) {
    options.limits().checkKey(key);
    options.limits().checkValue(value);
    return putOwned(Bytes.of(key), value.clone());
  }

  /** Removes {@code key}; returns the removed value or null. */
  public byte[] remove(byte[] key) {
    options.limits().checkKey(key);
    return removeOwned(Bytes.wrap(key));
  }

  /**
   * Sets {@code key} to {@code value} if its current value equals {@code expected} (null = absent).
   */
  public CasOutcome compareAndSet(byte[] key, byte[] expected, byte[] value) {
    options.limits().checkKey(key);
    options.limits().checkValue(value);
    CasOutcome o = casOwned(Bytes.of(key), expected, value.clone());
    return o.swapped() || o.previous() == null ? o : new CasOutcome(false, o.previous().clone());
  }

  /** Live keys across all shards. */
  public long size() {
    long n = 0;
    for (Shard s : shards) {
      s.lock.lock();
      try {
        n += s.size;
      } finally {
        s.lock.unlock();
      }
    }
    return n;
  }

  /** Visits every entry (copies), one shard at a time; each shard is seen at a single instant. */
  public void forEach(BiConsumer<byte[], byte[]> visitor) {
    for (int i = 0; i < shards.length; i++) {
      for (Map.Entry<Bytes, byte[]> e : entriesOf(i)) {
        visitor.accept(e.getKey().toArray(), e.getValue().clone());
      }
    }
  }

  public StoreStats stats() {
    long keys = 0;
    long bytes = 0;
    for (Shard s : shards) {
      s.lock.lock();
      try {
        keys += s.size;
        bytes += s.bytes;
      } finally {
        s.lock.unlock();
      }
    }
    return new StoreStats(
        shards.length,
        keys,
        bytes,
        rebuildsStarted.get(),
        rebuildsCompleted.get(),
        entriesMoved.get(),
        reclaimedBytes.get());
  }

  /** Installs a pause point inside rebuilds (tests only). */
  public void setRebuildProbe(RebuildProbe probe) {
    this.probe = probe == null ? RebuildProbe.NONE : probe;
  }

  /**
   * Rebuilds shard {@code shard} on the calling thread; returns false if it was already being
   * rebuilt or was replaced meanwhile.
   */
  public boolean rebuildNow(int shard) {
    return rebuild(shards[shard]);
  }

  /** Rebuilds shard {@code shard} on the rebuild executor (its two tasks). */
  public CompletableFuture<Boolean> requestRebuild(int shard) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    Executor ex = executor();
    if (ex == null) {
      done.complete(false);
      return done;
    }
    Shard s = shards[shard];
    ex.execute(
        () -> {
          try {
            startRebuild(s, ex, done);
          } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
            throw e;
          }
        });
    return done;
  }

  /** Stops the background executor; the map stays usable, without automatic rebuilds. */
  @Override
  public synchronized void close() {
    closed = true;
    if (rebuilder != null) {
      rebuilder.shutdownNow();
    }
  }

  // ---- package-private paths that take ownership of the arrays given (no copies) ----

  byte[] getShared(Bytes key) {
    Shard s = shards[shardOf(key)];
    s.lock.lock();
    try {
      return s.lookup(key);
    } finally {
      s.lock.unlock();
    }
  }

  byte[] putOwned(Bytes key, byte[] value) {
    Shard s = shards[shardOf(key)];
    s.lock.lock();
    try {
      return s.write(key, value);
    } finally {
      s.lock.unlock();
    }
  }

  byte[] removeOwned(Bytes key) {
    Shard s = shards[shardOf(key)];
    s.lock.lock();
    try {
      byte[] prev = s.write(key, null);
      if (prev != null) {
        maybeScheduleRebuild(s);
      }
      return prev;
    } finally {
      s.lock.unlock();
    }
  }

  CasOutcome casOwned(Bytes key, byte[] expected, byte[] value) {
    Shard s = shards[shardOf(key)];
    s.lock.lock();
    try {
      byte[] current = s.lookup(key);
      boolean matches = expected == null ? current == null : Arrays.equals(current, expected);
      if (!matches) {
        return new CasOutcome(false, current);
      }
      s.write(key, value);
      return new CasOutcome(true, current);
    } finally {
      s.lock.unlock();
    }
  }

  /** The entries of one shard as of one instant under its lock (arrays shared, not copied). */
  List<Map.Entry<Bytes, byte[]>> entriesOf(int shard) {
    Shard s = shards[shard];
    s.lock.lock();
    try {
      List<Map.Entry<Bytes, byte[]>> out = new ArrayList<>(s.size);
      if (s.delta == null) {
        out.addAll(s.table.entrySet());
      } else {
        for (Map.Entry<Bytes, byte[]> e : s.table.entrySet()) {
          if (!s.delta.containsKey(e.getKey())) {
            out.add(Map.entry(e.getKey(), e.getValue()));
          }
        }
        for (Map.Entry<Bytes, byte[]> e : s.delta.entrySet()) {
          if (e.getValue() != Shard.TOMBSTONE) {
            out.add(Map.entry(e.getKey(), e.getValue()));
          }
        }
      }
      return out;
    } finally {
      s.lock.unlock();
    }
  }

  /**
   * Replaces the whole content with {@code content}, shard by shard; a rebuild in flight is
   * abandoned.
   */
  void replaceAll(Map<Bytes, byte[]> content) {
    List<HashMap<Bytes, byte[]>> tables = new ArrayList<>(shards.length);
    for (int i = 0; i < shards.length; i++) {
      tables.add(new HashMap<>());
    }
    for (Map.Entry<Bytes, byte[]> e : content.entrySet()) {
      tables.get(shardOf(e.getKey())).put(e.getKey(), e.getValue());
    }
    for (int i = 0; i < shards.length; i++) {
      Shard s = shards[i];
      s.lock.lock();
      try {
        s.install(tables.get(i));
      } finally {
        s.lock.unlock();
      }
    }
  }

  private void maybeScheduleRebuild(Shard s) {
    if (!options.autoRebuild() || s.scheduled || s.delta != null) {
      return;
    }
    if (s.peak < options.effectiveMinRebuildPeak()
        || s.size >= s.peak * options.effectiveSparseFraction()) {
      return;
    }
    Executor ex = executor();
    if (ex == null) {
      return;
    }
    s.scheduled = true;
    try {
      ex.execute(() -> startRebuild(s, ex, new CompletableFuture<>()));
    } catch (RejectedExecutionException e) {
      s.scheduled = false;
    }
  }

  /** The first task: freezes the shard and queues the copy-and-swap as a second task. */
  private void startRebuild(Shard s, Executor ex, CompletableFuture<Boolean> done) {
    Frozen f = freeze(s);
    if (f == null) {
      done.complete(false);
      return;
    }
    try {
      ex.execute(
          () -> {
            try {
              done.complete(copyAndSwap(s, f));
            } catch (RuntimeException | Error e) {
              done.completeExceptionally(e);
              throw e;
            }
          });
    } catch (RejectedExecutionException e) {
      abandon(s, f.generation());
      done.complete(false);
    }
  }

  private synchronized Executor executor() {
    if (closed) {
      return null;
    }
    if (given != null) {
      return given;
    }
    if (rebuilder == null) {
      rebuilder =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "faultline-shard-rebuild");
                t.setDaemon(true);
                return t;
              });
    }
    return rebuilder;
  }

  private boolean rebuild(Shard s) {
    Frozen f = freeze(s);
    return f != null && copyAndSwap(s, f);
  }

  /** Freezes the shard's table; writes go to a delta from now on. Null if already rebuilding. */
  private Frozen freeze(Shard s) {
    s.lock.lock();
    try {
      s.scheduled = false;
      if (s.delta != null) {
        return null;
      }
      s.delta = new HashMap<>();
      rebuildsStarted.incrementAndGet();
      return new Frozen(s.table, s.generation, s.peak);
    } finally {
      s.lock.unlock();
    }
  }

  /** Copies the frozen table without the lock, then replays the delta and swaps under it. */
  private boolean copyAndSwap(Shard s, Frozen f) {
    HashMap<Bytes, byte[]> frozen = f.table();
    long generation = f.generation();
    int peakBefore = f.peakBefore();

    // The frozen table is never written while the delta exists, so it is read here unlocked.
    HashMap<Bytes, byte[]> fresh = new HashMap<>(tableSizeFor(frozen.size()));
    int half = frozen.size() / 2;
    int copied = 0;
    try {
      for (Map.Entry<Bytes, byte[]> e : frozen.entrySet()) {
        if (copied == half) {
          probe.midCopy(s.id);
        }
        fresh.put(e.getKey(), e.getValue());
        copied++;
      }
      if (copied == 0) {
        probe.midCopy(s.id);
      }
    } catch (RuntimeException | Error e) {
      abandon(s, generation);
      throw e;
    }

    s.lock.lock();
    try {
      if (s.generation != generation) {
        return false;
      }
      if (options.lostRebuildWrites()) {
        // The ancestor's bug, kept on purpose: writes made during the copy are not carried over.
        s.install(fresh);
      } else {
        for (Map.Entry<Bytes, byte[]> e : s.delta.entrySet()) {
          if (e.getValue() == Shard.TOMBSTONE) {
            fresh.remove(e.getKey());
          } else {
            fresh.put(e.getKey(), e.getValue());
          }
        }
        s.table = fresh;
        s.delta = null;
        s.peak = s.size;
      }
      entriesMoved.addAndGet(copied);
      long slots = (long) tableCapacity(peakBefore) - tableCapacity(s.size);
      reclaimedBytes.addAndGet(Math.max(0, slots) * 4);
      rebuildsCompleted.incrementAndGet();
      return true;
    } finally {
      s.lock.unlock();
    }
  }

  /** Undoes a failed rebuild: folds the delta back into the frozen table. */
  private void abandon(Shard s, long generation) {
    s.lock.lock();
    try {
      if (s.generation == generation && s.delta != null) {
        for (Map.Entry<Bytes, byte[]> e : s.delta.entrySet()) {
          if (e.getValue() == Shard.TOMBSTONE) {
            s.table.remove(e.getKey());
          } else {
            s.table.put(e.getKey(), e.getValue());
          }
        }
        s.delta = null;
      }
      log.warn("rebuild of shard {} abandoned; the shard keeps its old table", s.id);
    } finally {
      s.lock.unlock();
    }
  }

  /** The initial capacity that holds {@code n} entries without a resize. */
  private static int tableSizeFor(int n) {
    return (int) Math.min(1 << 30, (long) Math.ceil(n / 0.75) + 1);
  }

  /** The table length a HashMap reaches holding {@code n} entries. */
  private static int tableCapacity(int n) {
    int needed = Math.max(16, (int) Math.ceil(n / 0.75));
    return needed >= (1 << 30) ? 1 << 30 : Integer.highestOneBit(needed - 1) << 1;
  }
}
