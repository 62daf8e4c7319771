package dev.faultline.store;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One shard of a {@link ShardedMap}; every field is guarded by {@code lock}. While {@code delta} is
 * non-null a rebuild is copying {@code table}, which is then frozen: writes go to the delta ({@link
 * #TOMBSTONE} for a delete) and reads look there first.
 */
final class Shard {
  /** Marks a key deleted in a rebuild's delta; compared by identity. */
  static final byte[] TOMBSTONE = new byte[0];

  final int id;
  final ReentrantLock lock = new ReentrantLock();
  HashMap<Bytes, byte[]> table = new HashMap<>();
  HashMap<Bytes, byte[]> delta;
  int size;
  long bytes;
  int peak;
  boolean scheduled;
  long generation;

  Shard(int id) {
    this.id = id;
  }

  byte[] lookup(Bytes key) {
    if (delta != null) {
      byte[] v = delta.get(key);
      if (v != null) {
        return v == TOMBSTONE ? null : v;
      }
    }
    return table.get(key);
  }

  /** Sets (value non-null) or deletes (null) {@code key}; returns the previous value. */
  byte[] write(Bytes key, byte[] value) {
    byte[] prev = lookup(key);
    if (delta == null) {
      if (value == null) {
        table.remove(key);
      } else {
        table.put(key, value);
      }
    } else if (value != null) {
      delta.put(key, value);
    } else if (table.containsKey(key)) {
      delta.put(key, TOMBSTONE);
    } else {
      delta.remove(key);
    }
    if (prev != null) {
      size--;
      bytes -= key.length() + prev.length;
    }
    if (value != null) {
      size++;
      bytes += key.length() + value.length;
      peak = Math.max(peak, size);
    }
    return prev;
  }

  void install(HashMap<Bytes, byte[]> content) {
    table = content;
    delta = null;
    generation++;
    size = content.size();
    long b = 0;
    for (Map.Entry<Bytes, byte[]> e : content.entrySet()) {
      b += e.getKey().length() + e.getValue().length;
    }
    bytes = b;
    peak = size;
  }
}
