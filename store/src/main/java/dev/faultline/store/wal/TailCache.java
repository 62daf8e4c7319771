package dev.faultline.store.wal;

import dev.faultline.raft.Entry;
import java.util.Arrays;

/**
 * The newest entries of the log, in memory: a contiguous run of indexes that always ends at the
 * log's last index, bounded in count and in bytes. Entries just appended are the ones the Raft loop
 * applies and sends to followers next; serving them from here saves a positioned read (and a
 * checksum) per entry. Older entries fall out and are read from the segment files as before.
 *
 * <p>Not thread-safe: used under the WAL's own confinement (the Raft loop).
 */
final class TailCache {
  private static final int SLOTS = 1 << 13;
  private static final int MASK = SLOTS - 1;

  private final long maxBytes;
  private final Entry[] slots;
  private long first = 1;
  private int count;
  private long bytes;

  TailCache(long maxBytes) {
    this.maxBytes = maxBytes;
    this.slots = maxBytes == 0 ? new Entry[0] : new Entry[SLOTS];
  }

  /** The entry at {@code index}, or null when it is not held here. */
  Entry get(long index) {
    if (index < first || index >= first + count) {
      return null;
    }
    return slots[slot(index)];
  }

  /**
   * Adds the entry that follows the newest one held; any other index restarts the run at it (the
   * log was rebuilt or truncated below what is held).
   */
  void add(Entry e) {
    if (slots.length == 0) {
      return;
    }
    if (e.index() != first + count) {
      clear(e.index());
    }
    long size = e.sizeBytes();
    if (size > maxBytes) {
      clear(e.index() + 1);
      return;
    }
    while (count == SLOTS || (count > 0 && bytes + size > maxBytes)) {
      int s = slot(first);
      bytes -= slots[s].sizeBytes();
      slots[s] = null;
      first++;
      count--;
    }
    slots[slot(e.index())] = e;
    count++;
    bytes += size;
  }

  /** Forgets {@code index} and everything after it (the log is being overwritten from there). */
  void truncateFrom(long index) {
    if (index <= first) {
      clear(index);
      return;
    }
    for (long i = first + count - 1; i >= index; i--) {
      int s = slot(i);
      bytes -= slots[s].sizeBytes();
      slots[s] = null;
      count--;
    }
  }

  /** Forgets everything; the next entry expected is {@code next}. */
  void clear(long next) {
    Arrays.fill(slots, null);
    first = next;
    count = 0;
    bytes = 0;
  }

  int size() {
    return count;
  }

  private static int slot(long index) {
    return (int) (index & MASK);
  }
}
