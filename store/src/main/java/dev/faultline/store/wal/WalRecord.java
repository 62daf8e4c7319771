package dev.faultline.store.wal;

import dev.faultline.raft.Entry;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The framing of one entry in a segment, all integers big-endian:
 *
 * <pre>
 * length  u32  bytes after the checksum field (17 + payload)
 * crc     u32  CRC32C of every byte after this field, up to the end of the record
 * index   u64
 * term    u64
 * type    u8   1 command, 2 noop, 3 config
 * payload length - 17 bytes
 * </pre>
 */
final class WalRecord {
  static final int HEADER_BYTES = 25;

  /** Bytes counted by {@code length} besides the payload: index, term, type. */
  static final int FIXED_BODY_BYTES = 17;

  private WalRecord() {}

  static int size(Entry e) {
    return HEADER_BYTES + e.data().length;
  }

  /** Writes {@code e} at the buffer's position. */
  static void encode(Entry e, ByteBuffer buf) {
    int start = buf.position();
    buf.putInt(FIXED_BODY_BYTES + e.data().length);
    buf.putInt(0);
    buf.putLong(e.index());
    buf.putLong(e.term());
    buf.put(typeCode(e.type()));
    buf.put(e.data());
    buf.putInt(start + 4, crc(buf, start + 8, buf.position()));
  }

  /** CRC32C of {@code buf[from, to)}, leaving the buffer's position and limit alone. */
  static int crc(ByteBuffer buf, int from, int to) {
    CRC32C crc = new CRC32C();
    ByteBuffer view = buf.duplicate();
    view.limit(to).position(from);
    crc.update(view);
    return (int) crc.getValue();
  }

  static byte typeCode(Entry.Type type) {
    return switch (type) {
      case COMMAND -> 1;
      case NOOP -> 2;
      case CONFIG -> 3;
    };
  }

  /** The type for a code, or null for a code that is not one. */
  static Entry.Type type(int code) {
    return switch (code) {
      case 1 -> Entry.Type.COMMAND;
      case 2 -> Entry.Type.NOOP;
      case 3 -> Entry.Type.CONFIG;
      default -> null;
    };
  }
}
