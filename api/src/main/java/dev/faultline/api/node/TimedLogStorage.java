package dev.faultline.api.node;

import dev.faultline.api.metrics.RaftMetrics;
import dev.faultline.raft.Entry;
import dev.faultline.raft.ForwardingLogStorage;
import dev.faultline.raft.LogStorage;
import dev.faultline.raft.SnapshotMeta;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LogStorage} that reports how long appends and syncs take ({@code raft_append_seconds},
 * {@code raft_fsync_seconds}) and counts snapshots installed from the leader ({@code
 * raft_snapshots_installed_total}); otherwise it delegates unchanged.
 */
final class TimedLogStorage extends ForwardingLogStorage {

  private static final Logger LOG = LoggerFactory.getLogger(TimedLogStorage.class);

  private final RaftMetrics metrics;

  TimedLogStorage(LogStorage inner, RaftMetrics metrics) {
    super(inner);
    this.metrics = metrics;
  }

  @Override
  public void append(List<Entry> entries) {
    long start = System.nanoTime();
    inner.append(entries);
    metrics.appended(System.nanoTime() - start);
  }

  @Override
  public void sync() {
    long start = System.nanoTime();
    inner.sync();
    metrics.synced(System.nanoTime() - start);
  }

  @Override
  public Runnable startSync() {
    long start = System.nanoTime();
    Runnable work = inner.startSync();
    long prepared = System.nanoTime() - start;
    return () -> {
      long t = System.nanoTime();
      work.run();
      metrics.synced(prepared + System.nanoTime() - t);
    };
  }

  @Override
  public void installSnapshot(SnapshotMeta meta) {
    // A snapshot of our own state never reaches past our log; one that does came from the leader.
    boolean fromLeader = meta.index() > inner.lastIndex();
    inner.installSnapshot(meta);
    if (fromLeader) {
      metrics.snapshotInstalled();
      LOG.info(
          "installed the leader's snapshot at index {} term {}; the log now starts after it",
          meta.index(),
          meta.term());
    }
  }
}
