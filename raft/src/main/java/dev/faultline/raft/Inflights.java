package dev.faultline.raft;

/**
 * The AppendEntries in flight to one follower, as (last index, bytes) in send order: a bounded
 * window by count and by bytes, freed as acknowledgements arrive.
 */
final class Inflights {
  private final long[] indexes;
  private final long[] sizes;
  private final long maxBytes;
  private int start;
  private int count;
  private long bytes;

  Inflights(int capacity, long maxBytes) {
    this.indexes = new long[capacity];
    this.sizes = new long[capacity];
    this.maxBytes = maxBytes;
  }

  void add(long lastIndex, long size) {
    if (full()) {
      throw new IllegalStateException("inflight window is full");
    }
    int slot = (start + count) % indexes.length;
    indexes[slot] = lastIndex;
    sizes[slot] = size;
    count++;
    bytes += size;
  }

  /** Frees every message whose last index is at most {@code index}. */
  void freeLE(long index) {
    while (count > 0 && indexes[start] <= index) {
      bytes -= sizes[start];
      start = (start + 1) % indexes.length;
      count--;
    }
  }

  /** Frees the oldest message, so a window stuck on a lost message sends again. */
  void freeFirstOne() {
    if (count > 0) {
      freeLE(indexes[start]);
    }
  }

  boolean full() {
    return count == indexes.length || bytes >= maxBytes;
  }

  int count() {
    return count;
  }

  void reset() {
    start = 0;
    count = 0;
    bytes = 0;
  }
}
