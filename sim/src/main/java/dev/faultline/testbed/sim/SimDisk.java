package dev.faultline.testbed.sim;

import dev.faultline.raft.Entry;
import dev.faultline.raft.HardState;
import dev.faultline.raft.LogStorage;
import dev.faultline.raft.MemoryLogStorage;
import dev.faultline.raft.SnapshotMeta;
import dev.faultline.raft.runtime.SnapshotStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One node's simulated disk. Writes go to the running process's view at once and are queued; {@link
 * #sync()} makes the queue durable. A crash keeps only a prefix of the queued writes, and may tear
 * the last kept append (recovery then drops its tail, as a WAL's checksums would). Snapshot files
 * are durable when saved, like a file written, fsync'd and renamed.
 */
final class SimDisk implements SnapshotStore {
  private sealed interface Write permits Append, SaveHardState, InstallSnapshot {}

  private record Append(List<Entry> entries) implements Write {}

  private record SaveHardState(HardState state) implements Write {}

  private record InstallSnapshot(SnapshotMeta meta) implements Write {}

  private MemoryLogStorage durable = new MemoryLogStorage();
  private final List<Write> pending = new ArrayList<>();
  private final TreeMap<Long, byte[]> snapshotFiles = new TreeMap<>();
  private View view;
  long syncs;
  long lostWrites;

  /** Opens the disk for a (re)started process: its view is exactly what is durable. */
  LogStorage open() {
    pending.clear();
    view = new View(durable.copy());
    return view;
  }

  void sync() {
    for (Write w : pending) {
      applyTo(durable, w);
    }
    pending.clear();
    syncs++;
    SnapshotMeta s = durable.snapshot();
    snapshotFiles.headMap(s.index()).clear(); // older snapshot files are no longer named
  }

  /** The process dies: keep a random prefix of unsynced writes, maybe tearing the last append. */
  void crash(SplittableRandom random, boolean mayTear) {
    int keep = pending.isEmpty() ? 0 : random.nextInt(pending.size() + 1);
    for (int i = 0; i < keep; i++) {
      Write w = pending.get(i);
      if (i == keep - 1 && mayTear && w instanceof Append a && a.entries().size() > 1) {
        int n = 1 + random.nextInt(a.entries().size() - 1);
        w = new Append(List.copyOf(a.entries().subList(0, n)));
      }
      applyTo(durable, w);
    }
    lostWrites += pending.size() - keep;
    pending.clear();
    view = null;
  }

  @Override
  public void save(SnapshotMeta meta, byte[] data) {
    snapshotFiles.put(meta.index(), data);
  }

  @Override
  public byte[] load(SnapshotMeta meta) {
    return loadSnapshot(meta);
  }

  byte[] loadSnapshot(SnapshotMeta meta) {
    return snapshotFiles.get(meta.index());
  }

  private static void applyTo(MemoryLogStorage s, Write w) {
    if (w instanceof Append a) {
      List<Entry> ents = a.entries();
      long skip = s.firstIndex() - ents.get(0).index();
      if (skip >= ents.size()) {
        return; // a snapshot already covers it
      }
      s.append(skip > 0 ? ents.subList((int) skip, ents.size()) : ents);
    } else if (w instanceof SaveHardState h) {
      s.saveHardState(h.state());
    } else if (w instanceof InstallSnapshot i) {
      s.installSnapshot(i.meta());
    }
  }

  /** The running process's storage: reads see every write, durability waits for sync. */
  private final class View implements LogStorage {
    private final MemoryLogStorage state;

    View(MemoryLogStorage state) {
      this.state = state;
    }

    @Override
    public HardState hardState() {
      return state.hardState();
    }

    @Override
    public void saveHardState(HardState hs) {
      state.saveHardState(hs);
      pending.add(new SaveHardState(hs));
    }

    @Override
    public SnapshotMeta snapshot() {
      return state.snapshot();
    }

    @Override
    public long firstIndex() {
      return state.firstIndex();
    }

    @Override
    public long lastIndex() {
      return state.lastIndex();
    }

    @Override
    public long term(long index) {
      return state.term(index);
    }

    @Override
    public List<Entry> entries(long from, long to, long maxBytes) {
      return state.entries(from, to, maxBytes);
    }

    @Override
    public void append(List<Entry> entries) {
      if (entries.isEmpty()) {
        return;
      }
      state.append(entries);
      pending.add(new Append(List.copyOf(entries)));
    }

    @Override
    public void sync() {
      SimDisk.this.sync();
    }

    @Override
    public void installSnapshot(SnapshotMeta meta) {
      state.installSnapshot(meta);
      pending.add(new InstallSnapshot(meta));
    }

    @Override
    public void compact(long index) {
      state.compact(index);
    }
  }
}
