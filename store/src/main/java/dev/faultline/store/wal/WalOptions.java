package dev.faultline.store.wal;

/**
 * Tunables of the segmented WAL.
 *
 * @param segmentBytes size at which the active segment is closed and a new one started
 * @param maxEntryBytes the largest entry payload accepted
 * @param tailCacheBytes how many bytes of the newest entries are also kept in memory, so the Raft
 *     loop applies and replicates them without reading them back from the file (0: none)
 * @param preallocateBytes how far ahead of its records the active segment is filled with zeros, in
 *     steps of this size (0: none, every append grows the file). An fdatasync after a write into
 *     space already written need not commit the file's new size through the file system's journal
 *     (ext4 here, 4 KiB writes, {@code faultline bench fsync}: p50 0.153 ms against 0.236; see
 *     docs/STORAGE.md)
 */
public record WalOptions(
    long segmentBytes, int maxEntryBytes, long tailCacheBytes, long preallocateBytes) {
  /**
   * 64 MiB segments, entries up to 16 MiB, the newest 4 MiB of entries kept in memory, zeros
   * written 1 MiB at a time ahead of the records.
   */
  public static final WalOptions DEFAULT = new WalOptions(64L << 20, 16 << 20, 4L << 20, 1L << 20);

  public WalOptions {
    if (segmentBytes < 1024 || segmentBytes > (1L << 30)) {
      throw new IllegalArgumentException(
          "segmentBytes must be between 1 KiB and 1 GiB, was " + segmentBytes);
    }
    if (maxEntryBytes < 1) {
      throw new IllegalArgumentException("maxEntryBytes must be >= 1, was " + maxEntryBytes);
    }
    if (tailCacheBytes < 0) {
      throw new IllegalArgumentException("tailCacheBytes must be >= 0, was " + tailCacheBytes);
    }
    if (preallocateBytes < 0 || preallocateBytes > (1L << 30)) {
      throw new IllegalArgumentException(
          "preallocateBytes must be between 0 and 1 GiB, was " + preallocateBytes);
    }
  }

  public WalOptions withSegmentBytes(long bytes) {
    return new WalOptions(bytes, maxEntryBytes, tailCacheBytes, preallocateBytes);
  }

  public WalOptions withTailCacheBytes(long bytes) {
    return new WalOptions(segmentBytes, maxEntryBytes, bytes, preallocateBytes);
  }

  public WalOptions withPreallocateBytes(long bytes) {
    return new WalOptions(segmentBytes, maxEntryBytes, tailCacheBytes, bytes);
  }
}
