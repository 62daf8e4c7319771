package dev.faultline.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A write to the key-value store, as proposed to Raft and applied in log order. {@code clientId} 0
 * means no session; otherwise {@code (clientId, seq)} identifies the request so a retry is applied
 * at most once.
 *
 * <p>Encoding: version byte 1, tag (1 put, 2 delete, 3 cas), clientId and seq as 8-byte big-endian,
 * then length-prefixed byte strings (4-byte big-endian length, -1 = absent).
 */
public sealed interface KvCommand {

  byte[] key();

  long clientId();

  long seq();

  byte[] encode();

  /** Decodes an encoding; throws {@link CommandFormatException} for anything else. */
  static KvCommand decode(byte[] data) {
    Wire.Reader r = new Wire.Reader(data, "KvCommand").version();
    int tag = r.u8("tag");
    long clientId = r.i64("clientId");
    long seq = r.i64("seq");
    KvCommand c =
        switch (tag) {
          case Put.TAG -> new Put(r.bytes("key", false), r.bytes("value", false), clientId, seq);
          case Delete.TAG -> new Delete(r.bytes("key", false), clientId, seq);
          case Cas.TAG ->
              new Cas(
                  r.bytes("key", false),
                  r.bytes("expected", true),
                  r.bytes("value", false),
                  clientId,
                  seq);
          default -> throw r.fail(1, "unknown command tag " + tag + " (1 put, 2 delete, 3 cas)");
        };
    r.end();
    return c;
  }

  /** Sets {@code key} to {@code value}. */
  record Put(byte[] key, byte[] value, long clientId, long seq) implements KvCommand {
    static final int TAG = 1;

    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public byte[] encode() {
      return new Wire.Writer(30 + key.length + value.length)
          .u8(Wire.VERSION)
          .u8(TAG)
          .i64(clientId)
          .i64(seq)
          .bytes(key)
          .bytes(value)
          .done();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Put p
          && Arrays.equals(p.key, key)
          && Arrays.equals(p.value, value)
          && p.clientId == clientId
          && p.seq == seq;
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), clientId, seq);
    }

    @Override
    public String toString() {
      return "Put[" + Bytes.printable(key) + "=" + Bytes.printable(value) + session(this) + "]";
    }
  }

  /** Removes {@code key}. */
  record Delete(byte[] key, long clientId, long seq) implements KvCommand {
    static final int TAG = 2;

    public Delete {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public byte[] encode() {
      return new Wire.Writer(26 + key.length)
          .u8(Wire.VERSION)
          .u8(TAG)
          .i64(clientId)
          .i64(seq)
          .bytes(key)
          .done();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Delete d
          && Arrays.equals(d.key, key)
          && d.clientId == clientId
          && d.seq == seq;
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(key), clientId, seq);
    }

    @Override
    public String toString() {
      return "Delete[" + Bytes.printable(key) + session(this) + "]";
    }
  }

  /** Sets {@code key} to {@code value} if its value equals {@code expected} (null = absent). */
  record Cas(byte[] key, byte[] expected, byte[] value, long clientId, long seq)
      implements KvCommand {
    static final int TAG = 3;

    public Cas {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public byte[] encode() {
      int exp = expected == null ? 0 : expected.length;
      return new Wire.Writer(34 + key.length + exp + value.length)
          .u8(Wire.VERSION)
          .u8(TAG)
          .i64(clientId)
          .i64(seq)
          .bytes(key)
          .bytes(expected)
          .bytes(value)
          .done();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cas c
          && Arrays.equals(c.key, key)
          && Arrays.equals(c.expected, expected)
          && Arrays.equals(c.value, value)
          && c.clientId == clientId
          && c.seq == seq;
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          Arrays.hashCode(key), Arrays.hashCode(expected), Arrays.hashCode(value), clientId, seq);
    }

    @Override
    public String toString() {
      return "Cas["
          + Bytes.printable(key)
          + " "
          + Bytes.printable(expected)
          + "->"
          + Bytes.printable(value)
          + session(this)
          + "]";
    }
  }

  private static String session(KvCommand c) {
    return c.clientId() == 0 ? "" : " client " + c.clientId() + " seq " + c.seq();
  }
}
