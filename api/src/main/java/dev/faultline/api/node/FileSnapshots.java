package dev.faultline.api.node;

import dev.faultline.raft.SnapshotMeta;
import dev.faultline.raft.runtime.SnapshotStore;
import dev.faultline.store.snapshot.StoredSnapshot;
import java.io.IOException;
import java.io.InputStream;

/**
 * The runtime's {@link SnapshotStore} over the store's checksummed snapshot files in the data
 * directory ({@code snapshots/}), so snapshots survive a restart with the log.
 */
final class FileSnapshots implements SnapshotStore {

  private final dev.faultline.store.snapshot.SnapshotStore files;

  FileSnapshots(dev.faultline.store.snapshot.SnapshotStore files) {
    this.files = files;
  }

  @Override
  public void save(SnapshotMeta meta, byte[] data) throws IOException {
    files.save(meta, out -> out.write(data));
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
