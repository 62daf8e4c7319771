package dev.faultline.raft.runtime;

import dev.faultline.raft.SnapshotMeta;

/** A {@link SnapshotStore} in memory, holding the latest snapshot only. */
public final class MemorySnapshotStore implements SnapshotStore {
  private SnapshotMeta meta;
  private byte[] data;

  @Override
  public synchronized void save(SnapshotMeta meta, byte[] data) {
    this.meta = meta;
    this.data = data.clone();
  }

  @Override
  public synchronized byte[] load(SnapshotMeta wanted) {
    return meta != null && meta.index() == wanted.index() && meta.term() == wanted.term()
        ? data.clone()
        : null;
  }
}
