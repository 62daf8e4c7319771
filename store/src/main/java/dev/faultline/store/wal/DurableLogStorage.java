package dev.faultline.store.wal;

import dev.faultline.raft.Entry;
import dev.faultline.raft.HardState;
import dev.faultline.raft.LogStorage;
import dev.faultline.raft.SnapshotMeta;
import dev.faultline.store.snapshot.SnapshotStore;
import dev.faultline.store.snapshot.StoredSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raft's log storage on disk, in a data directory: {@code wal/} (the segmented write-ahead log),
 * {@code hardstate} (term, vote, commit) and {@code snapshots/} (the {@link SnapshotStore}). {@link
 * #open} recovers: it loads the newest usable snapshot's identity, replays the log, cuts a torn
 * tail and refuses any other damage. Once a sync fails the storage refuses all further use, since a
 * failed fsync leaves the on-disk state unknown.
 *
 * <p>The commit index is written with term and vote changes, on snapshot installation and at close,
 * not on every sync: it is volatile state in Raft (Figure 2), so recovering an older value is safe,
 * and skipping it keeps a sync to one fdatasync.
 */
public final class DurableLogStorage implements LogStorage {
  private static final Logger log = LoggerFactory.getLogger(DurableLogStorage.class);

  private final Path dataDir;
  private final SegmentedWal wal;
  private final SnapshotStore snapshots;
  private SnapshotMeta snapshot;
  private HardState hardState;
  private HardState written;
  private volatile RuntimeException failure;

  private DurableLogStorage(
      Path dataDir,
      SegmentedWal wal,
      SnapshotStore snapshots,
      SnapshotMeta snapshot,
      HardState hs) {
    this.dataDir = dataDir;
    this.wal = wal;
    this.snapshots = snapshots;
    this.snapshot = snapshot;
    this.hardState = hs;
    this.written = hs;
  }

  public static DurableLogStorage open(Path dataDir) throws IOException {
    return open(dataDir, WalOptions.DEFAULT);
  }

  /** Opens the data directory (created if missing) and recovers the log. */
  public static DurableLogStorage open(Path dataDir, WalOptions options) throws IOException {
    Files.createDirectories(dataDir);
    SnapshotStore snapshots = SnapshotStore.open(dataDir.resolve("snapshots"));
    SnapshotMeta snap = snapshots.newest();
    // A temp file is a replacement that never reached its rename: the old file is the truth.
    Files.deleteIfExists(dataDir.resolve(HardStateFile.NAME + ".tmp"));
    HardState hs = HardStateFile.read(dataDir);
    SegmentedWal wal = SegmentedWal.open(dataDir.resolve("wal"), options, snap.index() + 1);
    try {
      if (wal.firstIndex() > snap.index() + 1) {
        throw new CorruptLogException(
            wal.segmentFiles().get(0),
            0,
            "the log starts at index "
                + wal.firstIndex()
                + " but the newest usable snapshot"
                + " covers only up to index "
                + snap.index()
                + ", so entries in between are lost"
                + (snapshots.rejected().isEmpty()
                    ? ""
                    : " (rejected snapshots: " + String.join("; ", snapshots.rejected()) + ")"));
      }
      if (snap.index() > wal.lastIndex()) {
        log.info(
            "log ends at index {}, behind the snapshot at {}; starting an empty log after it",
            wal.lastIndex(),
            snap.index());
        wal.reset(snap.index() + 1);
      } else if (snap.index() >= wal.firstIndex() && wal.term(snap.index()) != snap.term()) {
        // A crash in the middle of installSnapshot: finish what it began (§7).
        log.info(
            "log conflicts with the snapshot at index {} term {}; discarding the log",
            snap.index(),
            snap.term());
        wal.reset(snap.index() + 1);
      }
      long last = Math.max(wal.lastIndex(), snap.index());
      if (hs.commit() > last) {
        // The hard state says entries up to its commit index were durable here, so a log that
        // ends before it lost whole segments (deleted, or the log restored from an older copy).
        throw new CorruptLogException(
            dataDir.resolve("wal"),
            HardStateFile.NAME
                + " records commit index "
                + hs.commit()
                + " but the log and snapshots end at index "
                + last
                + ", so entries "
                + (last + 1)
                + ".."
                + hs.commit()
                + " were deleted or rolled back");
      }
    } catch (IOException | RuntimeException e) {
      wal.close();
      throw e;
    }
    if (hs.commit() < snap.index()) {
      hs = new HardState(hs.term(), hs.votedFor(), snap.index());
    }
    return new DurableLogStorage(dataDir, wal, snapshots, snap, hs);
  }

  /** The snapshot files of this data directory; save a snapshot here before installing it. */
  public SnapshotStore snapshots() {
    return snapshots;
  }

  public Path dataDirectory() {
    return dataDir;
  }

  /** The segment files, oldest first. */
  public List<Path> segmentFiles() {
    return wal.segmentFiles();
  }

  @Override
  public HardState hardState() {
    return hardState;
  }

  @Override
  public void saveHardState(HardState state) {
    usable();
    hardState = Objects.requireNonNull(state, "state");
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
    return Math.max(wal.lastIndex(), snapshot.index());
  }

  @Override
  public long term(long index) {
    if (index == snapshot.index()) {
      return snapshot.term();
    }
    if (index < firstIndex() || index > lastIndex()) {
      throw new IndexOutOfBoundsException(
          "no term for index "
              + index
              + ": the log holds ["
              + firstIndex()
              + ", "
              + lastIndex()
              + "] after the snapshot at "
              + snapshot.index());
    }
    return wal.term(index);
  }

  @Override
  public List<Entry> entries(long from, long to, long maxBytes) {
    usable();
    if (from < firstIndex() || to > lastIndex() + 1) {
      throw new IndexOutOfBoundsException(
          "entries ["
              + from
              + ", "
              + to
              + ") are outside the log ["
              + firstIndex()
              + ", "
              + lastIndex()
              + "]");
    }
    return from >= to ? List.of() : wal.entries(from, to, maxBytes);
  }

  @Override
  public void append(List<Entry> entries) {
    usable();
    if (entries.isEmpty()) {
      return;
    }
    if (entries.get(0).index() <= snapshot.index()) {
      throw new IllegalArgumentException(
          "cannot append at index "
              + entries.get(0).index()
              + ": the snapshot covers up to "
              + snapshot.index());
    }
    run(() -> wal.append(entries), "appending to the WAL");
  }

  @Override
  public void sync() {
    usable();
    run(
        () -> {
          wal.sync();
          if (hardState.term() != written.term()
              || !Objects.equals(hardState.votedFor(), written.votedFor())) {
            writeHardState();
          }
        },
        "syncing the WAL and hard state");
  }

  /**
   * Marks the dirty segments clean and returns the fdatasyncs that make them durable, to run on
   * another thread. A term or vote change syncs here instead, on the caller's thread: its file also
   * records the commit index, which must never reach the disk ahead of the log (elections only).
   */
  @Override
  public Runnable startSync() {
    usable();
    if (hardState.term() != written.term()
        || !Objects.equals(hardState.votedFor(), written.votedFor())) {
      sync();
      return () -> {};
    }
    List<java.nio.channels.FileChannel> dirty = wal.takeDirty();
    if (dirty.isEmpty()) {
      return () -> {};
    }
    return () ->
        run(
            () -> {
              for (java.nio.channels.FileChannel c : dirty) {
                c.force(false);
              }
            },
            "syncing the WAL");
  }

  @Override
  public void installSnapshot(SnapshotMeta meta) {
    usable();
    if (meta.index() <= snapshot.index()) {
      return;
    }
    boolean stored =
        snapshots.snapshots().stream()
            .map(StoredSnapshot::meta)
            .anyMatch(m -> m.index() == meta.index() && m.term() == meta.term());
    if (!stored) {
      throw new IllegalStateException(
          "snapshot at index "
              + meta.index()
              + " term "
              + meta.term()
              + " is not in "
              + snapshots.directory()
              + "; save it with SnapshotStore.save before installing it");
    }
    run(
        () -> {
          boolean matches =
              meta.index() >= wal.firstIndex()
                  && meta.index() <= wal.lastIndex()
                  && wal.term(meta.index()) == meta.term();
          // §7: keep entries after the snapshot only if the log agrees with it at its index.
          if (!matches) {
            wal.reset(meta.index() + 1);
          }
          snapshot = meta;
          if (hardState.commit() < meta.index()) {
            hardState = new HardState(hardState.term(), hardState.votedFor(), meta.index());
          }
          writeHardState();
          dropSegments(meta.index());
        },
        "installing the snapshot at index " + meta.index());
  }

  @Override
  public void compact(long index) {
    usable();
    if (index > snapshot.index()) {
      throw new IllegalArgumentException(
          "cannot compact through index "
              + index
              + ": the snapshot covers only up to "
              + snapshot.index());
    }
    run(() -> dropSegments(index), "compacting the WAL through index " + index);
  }

  /**
   * Deletes segments wholly at or below {@code index}, but never past the oldest kept snapshot, so
   * falling back to it after damage to the newest still finds the log that follows it.
   */
  private void dropSegments(long index) throws IOException {
    List<StoredSnapshot> kept = snapshots.snapshots();
    long floor = kept.isEmpty() ? 0 : kept.get(kept.size() - 1).meta().index();
    wal.dropThrough(Math.min(index, floor));
  }

  private void writeHardState() throws IOException {
    if (!hardState.equals(written)) {
      HardStateFile.write(dataDir, hardState);
      written = hardState;
    }
  }

  @Override
  public void close() {
    try {
      if (failure == null) {
        wal.sync();
        writeHardState();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("closing the log storage in " + dataDir, e);
    } finally {
      wal.close();
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private void run(IoAction action, String what) {
    try {
      action.run();
    } catch (IOException e) {
      failure = new UncheckedIOException(what + " in " + dataDir + " failed", e);
      throw failure;
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException) {
        throw e;
      }
      failure = e;
      throw e;
    }
  }

  private void usable() {
    if (failure != null) {
      throw new IllegalStateException(
          "log storage in " + dataDir + " failed earlier and cannot be trusted; restart the node",
          failure);
    }
  }
}
