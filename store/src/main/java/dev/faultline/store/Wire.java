package dev.faultline.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The primitives of the command, result and query encodings: big-endian fixed-width integers and
 * length-prefixed byte strings, where length -1 encodes "absent".
 */
final class Wire {
  /** The only encoding version so far; the first byte of every encoding. */
  static final byte VERSION = 1;

  private Wire() {}

  /** Builds an encoding. */
  static final class Writer {
    private final ByteArrayOutputStream out;

    Writer(int sizeHint) {
      out = new ByteArrayOutputStream(sizeHint);
    }

    Writer u8(int v) {
      out.write(v);
      return this;
    }

    Writer i32(int v) {
      out.write(v >>> 24);
      out.write(v >>> 16);
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Writer i64(long v) {
      return i32((int) (v >>> 32)).i32((int) v);
    }

    /** A length-prefixed byte string; null is written as length -1. */
    Writer bytes(byte[] b) {
      if (b == null) {
        return i32(-1);
      }
      i32(b.length);
      out.write(b, 0, b.length);
      return this;
    }

    Writer utf8(String s) {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    byte[] done() {
      return out.toByteArray();
    }
  }

  /** Reads an encoding, failing with the type name and offset on anything malformed. */
  static final class Reader {
    private final ByteBuffer buf;
    private final String what;

    Reader(byte[] data, String what) {
      if (data == null) {
        throw new CommandFormatException("not a " + what + ": no bytes (null)");
      }
      this.buf = ByteBuffer.wrap(data);
      this.what = what;
    }

    /** Reads and checks the version byte. */
    Reader version() {
      int v = u8("version");
      if (v != VERSION) {
        throw fail(
            0, "unknown encoding version " + v + " (this build reads version " + VERSION + ")");
      }
      return this;
    }

    int u8(String field) {
      need(1, field);
      return buf.get() & 0xff;
    }

    int i32(String field) {
      need(4, field);
      return buf.getInt();
    }

    long i64(String field) {
      need(8, field);
      return buf.getLong();
    }

    /** A length-prefixed byte string; null when absent is allowed and the length is -1. */
    byte[] bytes(String field, boolean absentAllowed) {
      int at = buf.position();
      int len = i32(field + " length");
      if (len == -1 && absentAllowed) {
        return null;
      }
      if (len < 0) {
        throw fail(at, "negative length " + len + " for " + field);
      }
      if (len > buf.remaining()) {
        throw fail(at, field + " claims " + len + " bytes but only " + buf.remaining() + " remain");
      }
      byte[] b = new byte[len];
      buf.get(b);
      return b;
    }

    String utf8(String field) {
      return new String(bytes(field, false), StandardCharsets.UTF_8);
    }

    /** Checks that every byte was consumed. */
    void end() {
      if (buf.hasRemaining()) {
        throw fail(buf.position(), buf.remaining() + " unexpected trailing bytes");
      }
    }

    CommandFormatException fail(int offset, String problem) {
      return new CommandFormatException(
          "not a valid "
              + what
              + " ("
              + buf.capacity()
              + " bytes): "
              + problem
              + " at byte "
              + offset);
    }

    private void need(int n, String field) {
      if (buf.remaining() < n) {
        throw fail(
            buf.position(),
            "truncated: " + field + " needs " + n + " bytes, " + buf.remaining() + " remain");
      }
    }
  }
}
