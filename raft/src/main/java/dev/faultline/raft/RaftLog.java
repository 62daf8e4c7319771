package dev.faultline.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The core's view of the log: durable entries in {@link LogStorage} overlaid by {@link Unstable}
 * ones, with the commit index and the index of the last entry handed out for applying. Invariant:
 * {@code applied <= committed <= lastIndex()}.
 */
final class RaftLog {
  final LogStorage storage;
  final Unstable unstable;
  long committed;
  long applied;

  /**
   * The highest index known synced in storage: at most {@link #lastStableIndex()}, which counts
   * entries written but perhaps not yet synced when the runtime syncs off its loop thread.
   */
  long durable;

  RaftLog(LogStorage storage, long applied) {
    this.storage = storage;
    this.unstable = new Unstable(storage.lastIndex() + 1);
    long snapshotIndex = storage.snapshot().index();
    this.committed = Math.max(storage.hardState().commit(), snapshotIndex);
    this.committed = Math.min(committed, storage.lastIndex());
    this.applied = Math.min(Math.max(applied, snapshotIndex), committed);
    this.durable = storage.lastIndex();
  }

  /** The highest index of this log known durable here. */
  long durableIndex() {
    return Math.min(durable, lastStableIndex());
  }

  SnapshotMeta snapshotMeta() {
    return unstable.snapshot != null ? unstable.snapshot : storage.snapshot();
  }

  long firstIndex() {
    return unstable.snapshot != null ? unstable.snapshot.index() + 1 : storage.firstIndex();
  }

  long lastIndex() {
    return unstable.lastIndexOr(storage.lastIndex());
  }

  long lastTerm() {
    return term(lastIndex());
  }

  /** The highest index known durable in storage. */
  long lastStableIndex() {
    return Math.min(storage.lastIndex(), unstable.offset - 1);
  }

  /** The term at {@code index}, or -1 when the entry is compacted away or beyond the log. */
  long term(long index) {
    long t = unstable.term(index);
    if (t >= 0) {
      return t;
    }
    if (index == 0) {
      return 0;
    }
    if (index < firstIndex() - 1 || index >= unstable.offset || index > storage.lastIndex()) {
      return -1;
    }
    try {
      return storage.term(index);
    } catch (IndexOutOfBoundsException e) {
      return -1;
    }
  }

  boolean matchTerm(long index, long term) {
    long t = term(index);
    return t >= 0 && t == term;
  }

  /** §5.4.1: a candidate's log is at least as up-to-date as ours. */
  boolean isUpToDate(long lastIndex, long lastTerm) {
    long myTerm = lastTerm();
    return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= lastIndex());
  }

  /** Entries in [lo, hi) up to about {@code maxBytes}; null when {@code lo} is compacted away. */
  List<Entry> slice(long lo, long hi, long maxBytes) {
    if (lo < firstIndex()) {
      return null;
    }
    hi = Math.min(hi, lastIndex() + 1);
    if (lo >= hi) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    if (lo < unstable.offset) {
      long storedHi = Math.min(hi, unstable.offset);
      List<Entry> stored = storage.entries(lo, storedHi, maxBytes);
      out.addAll(stored);
      for (Entry e : stored) {
        bytes += e.sizeBytes();
      }
      if (stored.size() < storedHi - lo) {
        return out;
      }
    }
    if (hi > unstable.offset) {
      for (Entry e : unstable.slice(Math.max(lo, unstable.offset), hi)) {
        if (!out.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
          break;
        }
        out.add(e);
        bytes += e.sizeBytes();
      }
    }
    return out;
  }

  /** Appends entries at the end or over a conflicting suffix; returns the new last index. */
  long append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return lastIndex();
    }
    unstable.truncateAndAppend(ents);
    // Replaced entries are no longer the durable ones, whatever was synced before.
    durable = Math.min(durable, ents.get(0).index() - 1);
    return lastIndex();
  }

  /**
   * The first entry of {@code ents} whose term differs from ours or that we lack, or 0 when we hold
   * them all (§5.3: an existing entry that conflicts with a new one is deleted with all after it).
   */
  long findConflict(List<Entry> ents) {
    for (Entry e : ents) {
      if (!matchTerm(e.index(), e.term())) {
        return e.index();
      }
    }
    return 0;
  }

  /**
   * The largest index at or below {@code index} whose term is at most {@code term}, with that term;
   * (index, 0) when the term there is unknown. Lets a leader skip a conflicting term at once.
   */
  long[] findConflictByTerm(long index, long term) {
    for (; index > 0; index--) {
      long ours = term(index);
      if (ours < 0) {
        return new long[] {index, 0};
      }
      if (ours <= term) {
        return new long[] {index, ours};
      }
    }
    return new long[] {0, 0};
  }

  void commitTo(long index) {
    if (index <= committed) {
      return;
    }
    if (index > lastIndex()) {
      throw new IllegalStateException(
          "commit index " + index + " is beyond the last log index " + lastIndex());
    }
    committed = index;
  }

  boolean hasNextCommitted() {
    return committed > applied && applied + 1 >= firstIndex();
  }

  List<Entry> nextCommitted(long maxBytes) {
    if (!hasNextCommitted()) {
      return List.of();
    }
    List<Entry> ents = slice(applied + 1, committed + 1, maxBytes);
    return ents == null ? List.of() : ents;
  }

  void restore(SnapshotMeta meta, byte[] data) {
    unstable.restore(meta, data);
    committed = meta.index();
    applied = meta.index();
  }
}
