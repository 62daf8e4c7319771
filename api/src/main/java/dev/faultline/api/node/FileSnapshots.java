package dev.faultline.api.node;

import dev.faultline.api.metrics.RaftMetrics;
import dev.faultline.raft.SnapshotMeta;
import dev.faultline.raft.runtime.SnapshotStore;
import dev.faultline.store.snapshot.StoredSnapshot;
import java.io.IOException;
import java.io.InputStream;

/**
 * The runtime's {@link SnapshotStore} over the store's checksummed snapshot files in the data
 * directory ({@code snapshots/}), so snapshots survive a restart with the log. Each save is
 * reported as a snapshot taken (count, bytes, time to store).
 */
final class FileSnapshots implements SnapshotStore {

  private final dev.faultline.store.snapshot.SnapshotStore files;
  private final RaftMetrics metrics;

  FileSnapshots(dev.faultline.store.snapshot.SnapshotStore files, RaftMetrics metrics) {
    this.files = files;
    this.metrics = metrics;
  }

  @Override
  public void save(SnapshotMeta meta, byte[] data) throws IOException {
    long start = System.nanoTime();
    files.save(meta, out -> out.write(data));
    metrics.snapshotTaken(data.length, System.nanoTime() - start);
  }

  @Override
  public byte[] load(SnapshotMeta meta) throws IOException {
    for (StoredSnapshot s : files.snapshots()) {
      if (s.meta().index() == meta.index() && s.meta().term() == meta.term()) {
        try (dev.faultline.store.snapshot.SnapshotStore.SnapshotReader r = files.open(s);
            InputStream in = r.stream()) {
          return in.readAllBytes();
        }
      }
    }
    return null;
  }
}
