package dev.faultline.store.wal;

/**
 * How the write-ahead log is laid out.
 *
 * @param segmentBytes a segment is rolled once the next record would take it past this size
 * @param maxEntryBytes the largest entry payload accepted; a larger length on disk is corruption
 */
public record WalOptions(long segmentBytes, int maxEntryBytes) {
  /** 64 MiB segments, entries up to 16 MiB. */
  public static final WalOptions DEFAULT = new WalOptions(64L << 20, 16 << 20);

  public WalOptions {
    if (segmentBytes < 1024 || segmentBytes > (1L << 30)) {
      throw new IllegalArgumentException(
          "segmentBytes must be between 1 KiB and 1 GiB, was " + segmentBytes);
    }
    if (maxEntryBytes < 1) {
      throw new IllegalArgumentException("maxEntryBytes must be >= 1, was " + maxEntryBytes);
    }
  }

  public WalOptions withSegmentBytes(long bytes) {
    return new WalOptions(bytes, maxEntryBytes);
  }
}
