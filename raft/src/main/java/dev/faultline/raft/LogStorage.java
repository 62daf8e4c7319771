package dev.faultline.raft;

import java.util.List;

/**
 * Where a node keeps its log, hard state and latest snapshot's identity. The runtime is the only
 * caller and calls from one thread. Writes may be buffered until {@link #sync()}; nothing that
 * promises durability is sent before {@code sync} returns (group commit: one sync per batch).
 *
 * <p>Indices: entries after the snapshot are held, {@code firstIndex() == snapshot().index() + 1};
 * an empty log has {@code lastIndex() == snapshot().index()}.
 */
public interface LogStorage extends AutoCloseable {

  HardState hardState();

  /** Records the hard state; durable after the next {@link #sync()}. */
  void saveHardState(HardState state);

  /** The latest snapshot's identity, or {@link SnapshotMeta#NONE}. */
  SnapshotMeta snapshot();

  /** The first index held in the log (the snapshot's index + 1). */
  long firstIndex();

  /** The last index in the log, or the snapshot's index when the log is empty. */
  long lastIndex();

  /**
   * The term of the entry at {@code index}; the snapshot's term for the snapshot's index; throws
   * {@link IndexOutOfBoundsException} for an index that is compacted or beyond the last.
   */
  long term(long index);

  /**
   * Entries from {@code from} (inclusive) to {@code to} (exclusive), stopping early once {@code
   * maxBytes} is reached (at least one entry is always returned when the range is not empty).
   */
  List<Entry> entries(long from, long to, long maxBytes);

  /**
   * Appends entries, whose indices are consecutive and start at most at {@code lastIndex() + 1};
   * any held entries at or after the first new index are removed first (a conflicting suffix).
   * Durable after the next {@link #sync()}.
   */
  void append(List<Entry> entries);

  /** Makes every preceding append and hard-state save durable. */
  void sync();

  /**
   * Starts a sync that may finish on another thread: returns the work that makes every append and
   * hard-state save made before this call durable. Until that work returns, the caller's thread may
   * go on appending at the end of the log and saving the commit index, but must not replace
   * entries, install a snapshot, compact, sync or close. The default syncs now and leaves nothing
   * to do, so a storage that cannot sync concurrently stays correct, only slower.
   */
  default Runnable startSync() {
    sync();
    return () -> {};
  }

  /**
   * Records that a snapshot covering everything up to {@code meta.index()} is stored, and discards
   * log entries up to that index (keeping any later entries whose terms agree, as §7 asks).
   */
  void installSnapshot(SnapshotMeta meta);

  /** Discards entries up to and including {@code index}, which a stored snapshot already covers. */
  void compact(long index);

  @Override
  default void close() {}
}
