package dev.faultline.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of the log not yet handed to storage: entries from {@code offset}, and possibly a
 * received snapshot that replaces the whole log. Entries here supersede storage entries at or after
 * {@code offset}, which storage drops when the runtime appends these.
 */
final class Unstable {
  SnapshotMeta snapshot;
  byte[] snapshotData;
  final List<Entry> entries = new ArrayList<>();
  long offset;

  Unstable(long offset) {
    this.offset = offset;
  }

  long lastIndexOr(long otherwise) {
    if (!entries.isEmpty()) {
      return offset + entries.size() - 1;
    }
    if (snapshot != null) {
      return snapshot.index();
    }
    return otherwise;
  }

  /** The term at {@code index} if this part knows it, else -1. */
  long term(long index) {
    if (index < offset) {
      if (snapshot != null && snapshot.index() == index) {
        return snapshot.term();
      }
      return -1;
    }
    long last = lastIndexOr(-1);
    if (index > last) {
      return -1;
    }
    return entries.get((int) (index - offset)).term();
  }

  void truncateAndAppend(List<Entry> ents) {
    long after = ents.get(0).index();
    if (after == offset + entries.size()) {
      entries.addAll(ents);
    } else if (after <= offset) {
      offset = after;
      entries.clear();
      entries.addAll(ents);
    } else {
      entries.subList((int) (after - offset), entries.size()).clear();
      entries.addAll(ents);
    }
  }

  void restore(SnapshotMeta meta, byte[] data) {
    snapshot = meta;
    snapshotData = data;
    offset = meta.index() + 1;
    entries.clear();
  }

  /** Storage now durably holds entries up to {@code index} (at {@code term}). */
  void stableTo(long index, long term) {
    long t = term(index);
    if (t != term || index < offset) {
      return;
    }
    int n = (int) (index + 1 - offset);
    entries.subList(0, n).clear();
    offset = index + 1;
  }

  void stableSnapTo(long index) {
    if (snapshot != null && snapshot.index() == index) {
      snapshot = null;
      snapshotData = null;
    }
  }

  List<Entry> slice(long lo, long hi) {
    return entries.subList((int) (lo - offset), (int) (hi - offset));
  }
}
