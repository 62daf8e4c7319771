package dev.faultline.raft.runtime;

import dev.faultline.raft.SnapshotMeta;
import java.io.IOException;

/**
 * Where a node keeps the bytes of its latest state-machine snapshot; {@link
 * dev.faultline.raft.LogStorage} keeps only its identity. A snapshot is saved (durably) before the
 * log is compacted behind it.
 */
public interface SnapshotStore {

  /** Durably stores a snapshot; older ones may be discarded. */
  void save(SnapshotMeta meta, byte[] data) throws IOException;

  /** The bytes of the snapshot {@code meta} identifies, or null when not stored. */
  byte[] load(SnapshotMeta meta) throws IOException;
}
