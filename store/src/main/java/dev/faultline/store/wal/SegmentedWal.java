package dev.faultline.store.wal;

import dev.faultline.raft.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The write-ahead log: contiguous segments in one directory, each named by its first index, written
 * by one thread in index order. There is always at least one segment, the active one, so an empty
 * log still knows its next index. Not thread-safe.
 */
final class SegmentedWal implements AutoCloseable {
  private final Path dir;
  private final WalOptions options;
  private final List<WalSegment> segments = new ArrayList<>();
  private ByteBuffer scratch = ByteBuffer.allocate(1 << 16);
  private final TailCache tail;
  private long fileReads;

  private SegmentedWal(Path dir, WalOptions options) {
    this.dir = dir;
    this.options = options;
    this.tail = new TailCache(options.tailCacheBytes());
  }

  /**
   * Opens the log in {@code dir} (created if missing), recovering every segment; an empty directory
   * starts a log whose first index is {@code firstIndexIfEmpty}.
   */
  static SegmentedWal open(Path dir, WalOptions options, long firstIndexIfEmpty)
      throws IOException {
    Files.createDirectories(dir);
    List<Long> starts = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(
          p -> {
            long first = WalSegment.parseName(p.getFileName().toString());
            if (first >= 0) {
              starts.add(first);
            }
          });
    }
    starts.sort(null);
    SegmentedWal wal = new SegmentedWal(dir, options);
    try {
      long prevTerm = 0;
      for (int i = 0; i < starts.size(); i++) {
        Path p = dir.resolve(WalSegment.fileName(starts.get(i)));
        if (!wal.segments.isEmpty()) {
          WalSegment prev = wal.last();
          if (prev.lastIndex() + 1 != starts.get(i)) {
            throw new CorruptLogException(
                p,
                0,
                "segment starts at index "
                    + starts.get(i)
                    + " but "
                    + prev.path.getFileName()
                    + " ends at index "
                    + prev.lastIndex()
                    + " (entries missing or overlapping)");
          }
        }
        WalSegment seg =
            WalSegment.recover(p, starts.get(i), i == starts.size() - 1, prevTerm, options);
        wal.segments.add(seg);
        if (seg.count() > 0) {
          prevTerm = seg.term(seg.lastIndex());
        }
      }
      if (wal.segments.isEmpty()) {
        wal.segments.add(WalSegment.create(dir, Math.max(1, firstIndexIfEmpty), options));
      }
      return wal;
    } catch (IOException | RuntimeException e) {
      wal.close();
      throw e;
    }
  }

  private WalSegment last() {
    return segments.get(segments.size() - 1);
  }

  /** The first index physically held (the next index when the log is empty). */
  long firstIndex() {
    return segments.get(0).firstIndex;
  }

  /** The last index held, or {@code firstIndex() - 1} when empty. */
  long lastIndex() {
    return last().lastIndex();
  }

  List<Path> segmentFiles() {
    return segments.stream().map(s -> s.path).toList();
  }

  private WalSegment segmentOf(long index) {
    if (index < firstIndex() || index > lastIndex()) {
      throw new IndexOutOfBoundsException(
          "index " + index + " is outside the log [" + firstIndex() + ", " + lastIndex() + "]");
    }
    int lo = 0;
    int hi = segments.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (segments.get(mid).firstIndex <= index) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return segments.get(lo);
  }

  long term(long index) {
    return segmentOf(index).term(index);
  }

  Entry entry(long index) {
    WalSegment seg = segmentOf(index);
    Entry cached = tail.get(index);
    if (cached != null) {
      return cached;
    }
    fileReads++;
    return seg.read(index);
  }

  /** How many entries were read back from the segment files rather than the tail cache. */
  long fileReads() {
    return fileReads;
  }

  /** Entries in {@code [from, to)}, stopping once {@code maxBytes} is reached (at least one). */
  List<Entry> entries(long from, long to, long maxBytes) {
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = from; i < to; i++) {
      Entry e = entry(i);
      bytes += e.sizeBytes();
      if (!out.isEmpty() && bytes > maxBytes) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  /**
   * Appends consecutive entries starting at most at {@code lastIndex() + 1}, first removing any
   * held entries at or after the first new index. Durable after {@link #sync()}.
   */
  void append(List<Entry> entries) throws IOException {
    if (entries.isEmpty()) {
      return;
    }
    long first = entries.get(0).index();
    if (first > lastIndex() + 1 || first < firstIndex()) {
      throw new IllegalArgumentException(
          "cannot append at index "
              + first
              + " to the log ["
              + firstIndex()
              + ", "
              + lastIndex()
              + "]");
    }
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (e.data().length > options.maxEntryBytes()) {
        throw new IllegalArgumentException(
            "entry "
                + e.index()
                + " of "
                + e.data().length
                + " bytes exceeds maxEntryBytes "
                + options.maxEntryBytes());
      }
      if (i > 0 && e.index() != first + i) {
        throw new IllegalArgumentException(
            "entries are not consecutive: "
                + entries.get(i).index()
                + " after "
                + entries.get(i - 1).index());
      }
    }
    if (first <= lastIndex()) {
      truncateFrom(first);
    }
    int from = 0;
    while (from < entries.size()) {
      WalSegment seg = last();
      long room = options.segmentBytes() - seg.size();
      int to = from;
      long bytes = 0;
      while (to < entries.size()) {
        int size = WalRecord.size(entries.get(to));
        if (bytes + size > room && (to > from || seg.count() > 0)) {
          break;
        }
        bytes += size;
        to++;
      }
      if (to == from) {
        roll(entries.get(from).index());
        continue;
      }
      List<Entry> batch = entries.subList(from, to);
      ByteBuffer buf = scratchFor(bytes);
      for (Entry e : batch) {
        WalRecord.encode(e, buf);
      }
      buf.flip();
      seg.append(buf, batch);
      for (Entry e : batch) {
        tail.add(e);
      }
      from = to;
    }
  }

  private ByteBuffer scratchFor(long bytes) {
    if (scratch.capacity() < bytes) {
      scratch = ByteBuffer.allocate((int) Math.max(bytes, scratch.capacity() * 2L));
    }
    scratch.clear();
    return scratch;
  }

  /**
   * Closes the active segment (sealed: forced, so only the newest can ever hold a torn tail, and
   * cut to its last record).
   */
  private void roll(long nextIndex) throws IOException {
    last().seal();
    segments.add(WalSegment.create(dir, nextIndex, options));
  }

  /** Makes every append durable: one fdatasync per dirty segment (group commit). */
  void sync() throws IOException {
    for (int i = segments.size() - 1; i >= 0; i--) {
      segments.get(i).force();
    }
  }

  /**
   * The channels {@link #sync()} would force now, newest first, marked clean: forcing them later,
   * on another thread, makes every append made before this call durable.
   */
  List<java.nio.channels.FileChannel> takeDirty() {
    List<java.nio.channels.FileChannel> out = new ArrayList<>(1);
    for (int i = segments.size() - 1; i >= 0; i--) {
      java.nio.channels.FileChannel c = segments.get(i).takeDirty();
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  /** Removes entries from {@code index} on, durably, newest segment first. */
  void truncateFrom(long index) throws IOException {
    tail.truncateFrom(index);
    boolean deleted = false;
    while (segments.size() > 1 && last().firstIndex >= index) {
      last().delete();
      segments.remove(segments.size() - 1);
      deleted = true;
    }
    if (deleted) {
      Fsync.directory(dir);
    }
    last().truncateFrom(Math.max(index, last().firstIndex));
  }

  /**
   * Deletes whole segments all of whose entries are at or below {@code index}, oldest first; the
   * active segment is always kept.
   */
  void dropThrough(long index) throws IOException {
    boolean deleted = false;
    while (segments.size() > 1 && segments.get(1).firstIndex <= index + 1) {
      segments.remove(0).delete();
      deleted = true;
    }
    if (deleted) {
      Fsync.directory(dir);
    }
  }

  /** Discards the whole log; the next append starts at {@code nextIndex}. */
  void reset(long nextIndex) throws IOException {
    tail.clear(nextIndex);
    for (int i = segments.size() - 1; i >= 0; i--) {
      segments.get(i).delete();
    }
    segments.clear();
    Fsync.directory(dir);
    segments.add(WalSegment.create(dir, nextIndex, options));
  }

  @Override
  public void close() {
    for (WalSegment s : segments) {
      try {
        s.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing WAL segment " + s.path, e);
      }
    }
  }
}
