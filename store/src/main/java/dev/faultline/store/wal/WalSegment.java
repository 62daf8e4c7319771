package dev.faultline.store.wal;

import dev.faultline.raft.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment file of the log: a 4-byte header ("FLW1") followed by consecutive {@link WalRecord}s
 * whose indices start at the index in the file name, then, in the active segment, zeros written
 * ahead of the records ({@link WalOptions#preallocateBytes()}; a record is never all zeros, so an
 * all-zero rest after the last valid record is where the records end). Keeps each record's offset
 * and term in memory, so lookups by index need one read.
 */
final class WalSegment implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalSegment.class);

  /** "FLW1": the segment header, format version 1. */
  static final int MAGIC = 0x464C5731;

  static final int FILE_HEADER_BYTES = 4;

  /** Written (never changed) to fill the space ahead of the records. */
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10);

  final Path path;
  final long firstIndex;
  private final FileChannel channel;
  private long[] offsets = new long[256];
  private long[] terms = new long[256];
  private int count;
  private long size;

  /** The file's length: {@code [size, allocated)} holds zeros written ahead of the records. */
  private long allocated;

  private final long preallocateBytes;
  private final long segmentBytes;
  private boolean dirty;

  private WalSegment(Path path, long firstIndex, FileChannel channel, WalOptions options) {
    this.path = path;
    this.firstIndex = firstIndex;
    this.channel = channel;
    this.preallocateBytes = options.preallocateBytes();
    this.segmentBytes = options.segmentBytes();
  }

  static String fileName(long firstIndex) {
    return String.format("%020d.wal", firstIndex);
  }

  /** The first index named by a segment file name, or -1 when it is not a segment's name. */
  static long parseName(String name) {
    if (name.length() != 24 || !name.endsWith(".wal")) {
      return -1;
    }
    for (int i = 0; i < 20; i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return -1;
      }
    }
    return Long.parseLong(name.substring(0, 20));
  }

  /** Creates an empty segment, durable (file and directory entry) before it returns. */
  static WalSegment create(Path dir, long firstIndex, WalOptions options) throws IOException {
    Path p = dir.resolve(fileName(firstIndex));
    FileChannel ch =
        FileChannel.open(
            p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    WalSegment seg = new WalSegment(p, firstIndex, ch, options);
    seg.writeHeader();
    Fsync.directory(dir);
    return seg;
  }

  private void writeHeader() throws IOException {
    channel.truncate(0);
    Fsync.writeFully(channel, ByteBuffer.allocate(4).putInt(MAGIC).flip(), 0);
    channel.force(true);
    size = FILE_HEADER_BYTES;
    allocated = size;
  }

  /**
   * Opens an existing segment and reads every record. In the newest segment, a damaged tail with no
   * valid record after it is a torn write and is cut off with a warning; any other damage is a
   * {@link CorruptLogException}.
   *
   * @param prevTerm the term of the entry just before this segment (0 if none)
   */
  static WalSegment recover(
      Path path, long firstIndex, boolean newest, long prevTerm, WalOptions options)
      throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    WalSegment seg = new WalSegment(path, firstIndex, ch, options);
    try {
      seg.scan(newest, prevTerm, options);
      return seg;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private void scan(boolean newest, long prevTerm, WalOptions options) throws IOException {
    long fileSize = channel.size();
    if (fileSize > Integer.MAX_VALUE) {
      throw new CorruptLogException(path, 0, "file of " + fileSize + " bytes is too large");
    }
    if (fileSize < FILE_HEADER_BYTES) {
      if (!newest) {
        throw new CorruptLogException(path, 0, "file of " + fileSize + " bytes has no header");
      }
      log.warn("WAL segment {}: header torn at offset 0 ({} bytes); rewriting it", path, fileSize);
      writeHeader();
      return;
    }
    MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize);
    int end = (int) fileSize;
    if (map.getInt(0) != MAGIC) {
      throw new CorruptLogException(path, 0, "bad header: not a Faultline WAL segment");
    }
    int pos = FILE_HEADER_BYTES;
    long expected = firstIndex;
    long lastTerm = prevTerm;
    String problem = null;
    while (pos < end) {
      problem = frameProblem(map, pos, end, options);
      if (problem != null) {
        break;
      }
      int len = map.getInt(pos);
      long index = map.getLong(pos + 8);
      long term = map.getLong(pos + 16);
      int type = map.get(pos + 24);
      // A record whose checksum holds is never the product of a torn write, so an inconsistency
      // here is damage (or a bug) wherever it sits.
      if (index != expected) {
        throw new CorruptLogException(
            path, pos, "record holds index " + index + " where " + expected + " was expected");
      }
      if (term < Math.max(1, lastTerm)) {
        throw new CorruptLogException(
            path,
            pos,
            "record "
                + index
                + " has term "
                + term
                + " after term "
                + lastTerm
                + " (terms never decrease along the log)");
      }
      if (WalRecord.type(type) == null) {
        throw new CorruptLogException(path, pos, "record " + index + " has unknown type " + type);
      }
      add(pos, term);
      expected++;
      lastTerm = term;
      pos += 8 + len;
    }
    if (problem != null && zeros(map, pos, end)) {
      // The zeros written ahead of the records: their end, not damage. (Zeros where a sealed
      // segment's last records were would leave the next segment's first index unmatched, which
      // opening the log checks.)
      problem = null;
    }
    if (problem != null) {
      if (!newest) {
        throw new CorruptLogException(
            path, pos, problem + " in a segment that is not the newest, so it was complete once");
      }
      int next = validRecordAfter(map, pos, end, expected, options);
      if (next >= 0) {
        throw new CorruptLogException(
            path,
            pos,
            problem
                + "; a valid record follows at offset "
                + next
                + ", so this is damage, not a torn write");
      }
      log.warn(
          "WAL segment {}: torn tail at offset {} ({}); truncating {} bytes that were never"
              + " acknowledged",
          path,
          pos,
          problem,
          end - pos);
      channel.truncate(pos);
      channel.force(true);
      end = pos;
    }
    size = pos;
    allocated = end;
  }

  private static boolean zeros(ByteBuffer map, int from, int end) {
    int p = from;
    for (; p + 8 <= end; p += 8) {
      if (map.getLong(p) != 0) {
        return false;
      }
    }
    for (; p < end; p++) {
      if (map.get(p) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Why the record at {@code pos} cannot be read, or null when its frame and checksum hold. */
  private static String frameProblem(ByteBuffer map, int pos, int end, WalOptions options) {
    if (end - pos < WalRecord.HEADER_BYTES) {
      return "incomplete record header (" + (end - pos) + " bytes)";
    }
    int len = map.getInt(pos);
    if (len < WalRecord.FIXED_BODY_BYTES
        || len > WalRecord.FIXED_BODY_BYTES + options.maxEntryBytes()) {
      return "impossible record length " + len;
    }
    if ((long) pos + 8 + len > end) {
      return "incomplete record: " + len + " bytes claimed, " + (end - pos - 8) + " present";
    }
    int stored = map.getInt(pos + 4);
    int computed = WalRecord.crc(map, pos + 8, pos + 8 + len);
    if (stored != computed) {
      return String.format("checksum mismatch (stored %08x, computed %08x)", stored, computed);
    }
    return null;
  }

  /** The offset of a valid record for index {@code >= minIndex} after {@code pos}, or -1. */
  private static int validRecordAfter(
      ByteBuffer map, int pos, int end, long minIndex, WalOptions options) {
    for (int p = pos + 1; p + WalRecord.HEADER_BYTES <= end; p++) {
      if (frameProblem(map, p, end, options) == null && map.getLong(p + 8) >= minIndex) {
        return p;
      }
    }
    return -1;
  }

  private void add(long offset, long term) {
    if (count == offsets.length) {
      offsets = Arrays.copyOf(offsets, count * 2);
      terms = Arrays.copyOf(terms, count * 2);
    }
    offsets[count] = offset;
    terms[count] = term;
    count++;
  }

  int count() {
    return count;
  }

  long size() {
    return size;
  }

  /** The last index held, or {@code firstIndex - 1} when empty. */
  long lastIndex() {
    return firstIndex + count - 1;
  }

  long term(long index) {
    return terms[(int) (index - firstIndex)];
  }

  /** Appends the encoded records in {@code buf} (position to limit), holding {@code entries}. */
  void append(ByteBuffer buf, java.util.List<Entry> entries) throws IOException {
    long end = size + buf.remaining();
    if (end > allocated && preallocateBytes > 0) {
      // Zeros first, then the records: a crash between leaves zeros or a torn record where the
      // records were going, both of which recovery reads as the end of the log.
      long ahead = Math.min((end / preallocateBytes + 1) * preallocateBytes, segmentBytes);
      if (ahead > end) {
        writeZeros(Math.max(allocated, end), ahead);
        allocated = ahead;
      }
    }
    long pos = size;
    for (Entry e : entries) {
      add(pos, e.term());
      pos += WalRecord.size(e);
    }
    Fsync.writeFully(channel, buf, size);
    size = pos;
    allocated = Math.max(allocated, size);
    dirty = true;
  }

  private void writeZeros(long from, long to) throws IOException {
    for (long pos = from; pos < to; ) {
      ByteBuffer z = ZEROS.duplicate();
      z.limit((int) Math.min(z.capacity(), to - pos));
      pos += channel.write(z, pos);
    }
  }

  /**
   * Closes the segment to appends: the zeros ahead of its records are cut off and everything is
   * forced, so a sealed segment ends with its last record.
   */
  void seal() throws IOException {
    if (allocated > size) {
      channel.truncate(size);
      allocated = size;
      channel.force(true);
      dirty = false;
    } else {
      force();
    }
  }

  /** Reads and checks the entry at {@code index}. */
  Entry read(long index) {
    int i = (int) (index - firstIndex);
    long off = offsets[i];
    long end = i + 1 < count ? offsets[i + 1] : size;
    ByteBuffer buf = ByteBuffer.allocate((int) (end - off));
    try {
      Fsync.readFully(channel, buf, off);
    } catch (IOException e) {
      throw new UncheckedIOException("reading WAL segment " + path + " at offset " + off, e);
    }
    int len = buf.getInt(0);
    if (len != buf.capacity() - 8
        || buf.getInt(4) != WalRecord.crc(buf, 8, buf.capacity())
        || buf.getLong(8) != index) {
      throw new UncheckedIOException(
          new CorruptLogException(
              path, off, "record " + index + " changed on disk after it was written"));
    }
    byte[] data = new byte[len - WalRecord.FIXED_BODY_BYTES];
    buf.get(WalRecord.HEADER_BYTES, data);
    return new Entry(index, buf.getLong(16), WalRecord.type(buf.get(24)), data);
  }

  /** Removes the records from {@code index} on, durably before it returns. */
  void truncateFrom(long index) throws IOException {
    int i = (int) (index - firstIndex);
    if (i >= count) {
      return;
    }
    long newSize = offsets[i];
    channel.truncate(newSize);
    // Forced now, with metadata, so the removed records cannot reappear after a crash.
    channel.force(true);
    count = i;
    size = newSize;
    allocated = newSize;
    dirty = false;
  }

  /**
   * The work that makes the records appended so far durable, to run on another thread while this
   * one appends more (fdatasync covers at least every write that returned before it began); null
   * when nothing is dirty. The segment counts as clean from now: a later append dirties it again.
   */
  FileChannel takeDirty() {
    if (!dirty) {
      return null;
    }
    dirty = false;
    return channel;
  }

  /** Makes appended records durable (fdatasync). */
  void force() throws IOException {
    if (dirty) {
      channel.force(false);
      dirty = false;
    }
  }

  void delete() throws IOException {
    close();
    Files.deleteIfExists(path);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
