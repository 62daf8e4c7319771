package dev.faultline.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogStorage} held in memory: everything is "durable" at once, nothing survives the
 * process. For tests, the simulator and single-process clusters.
 */
public final class MemoryLogStorage implements LogStorage {
  private HardState hardState = HardState.EMPTY;
  private SnapshotMeta snapshot = SnapshotMeta.NONE;
  private final ArrayList<Entry> entries = new ArrayList<>();
  private long syncs;

  /** An independent copy of everything held (entries are immutable and shared). */
  public MemoryLogStorage copy() {
    MemoryLogStorage c = new MemoryLogStorage();
    c.hardState = hardState;
    c.snapshot = snapshot;
    c.entries.addAll(entries);
    return c;
  }

  @Override
  public HardState hardState() {
    return hardState;
  }

  @Override
  public void saveHardState(HardState state) {
    hardState = state;
  }

  @Override
  public SnapshotMeta snapshot() {
    return snapshot;
  }

  @Override
  public long firstIndex() {
    return snapshot.index() + 1;
  }

  @Override
  public long lastIndex() {
    return snapshot.index() + entries.size();
  }

  @Override
  public long term(long index) {
    if (index == snapshot.index()) {
      return snapshot.term();
    }
    checkRange(index, index + 1);
    return entries.get((int) (index - firstIndex())).term();
  }

  @Override
  public List<Entry> entries(long from, long to, long maxBytes) {
    checkRange(from, to);
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = from; i < to; i++) {
      Entry e = entries.get((int) (i - firstIndex()));
      if (!out.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
        break;
      }
      out.add(e);
      bytes += e.sizeBytes();
    }
    return out;
  }

  private void checkRange(long from, long to) {
    if (from < firstIndex() || to > lastIndex() + 1 || from > to) {
      throw new IndexOutOfBoundsException(
          "log range ["
              + from
              + ", "
              + to
              + ") is outside the held entries ["
              + firstIndex()
              + ", "
              + (lastIndex() + 1)
              + ")");
    }
  }

  @Override
  public void append(List<Entry> ents) {
    if (ents.isEmpty()) {
      return;
    }
    long first = ents.get(0).index();
    if (first > lastIndex() + 1 || first < firstIndex()) {
      throw new IllegalArgumentException(
          "append at index "
              + first
              + " would leave a gap or overwrite compacted entries (log holds ["
              + firstIndex()
              + ", "
              + lastIndex()
              + "])");
    }
    for (int i = 1; i < ents.size(); i++) {
      if (ents.get(i).index() != first + i) {
        throw new IllegalArgumentException(
            "appended entries are not consecutive at " + (first + i));
      }
    }
    entries.subList((int) (first - firstIndex()), entries.size()).clear();
    entries.addAll(ents);
  }

  @Override
  public void sync() {
    syncs++;
  }

  /** How many times {@link #sync()} was called. */
  public long syncCount() {
    return syncs;
  }

  @Override
  public void installSnapshot(SnapshotMeta meta) {
    if (meta.index() <= snapshot.index()) {
      return;
    }
    boolean keep = meta.index() <= lastIndex() && term(meta.index()) == meta.term();
    if (keep) {
      entries.subList(0, (int) (meta.index() - firstIndex() + 1)).clear();
    } else {
      entries.clear();
    }
    snapshot = meta;
  }

  @Override
  public void compact(long index) {
    if (index > snapshot.index()) {
      throw new IllegalArgumentException(
          "cannot compact through "
              + index
              + ": the stored snapshot covers only up to "
              + snapshot.index());
    }
  }
}
