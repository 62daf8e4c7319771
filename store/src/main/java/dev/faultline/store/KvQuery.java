package dev.faultline.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A read of one key, answered by {@link KvStateMachine#query(byte[])} after ReadIndex. The answer
 * is {@link #encodeResult(byte[])}: byte 0 for absent, or byte 1 followed by the value, so an empty
 * value and an absent key stay distinct.
 *
 * <p>Encoding: version byte 1, tag 1 (get), the key as a length-prefixed byte string.
 */
public record KvQuery(byte[] key) {
  private static final int GET = 1;
  private static final byte ABSENT = 0;
  private static final byte PRESENT = 1;

  public KvQuery {
    Objects.requireNonNull(key, "key");
  }

  public byte[] encode() {
    return new Wire.Writer(6 + key.length).u8(Wire.VERSION).u8(GET).bytes(key).done();
  }

  /** Decodes an encoding; throws {@link CommandFormatException} for anything else. */
  public static KvQuery decode(byte[] data) {
    Wire.Reader r = new Wire.Reader(data, "KvQuery").version();
    int tag = r.u8("tag");
    if (tag != GET) {
      throw r.fail(1, "unknown query tag " + tag + " (1 get)");
    }
    KvQuery q = new KvQuery(r.bytes("key", false));
    r.end();
    return q;
  }

  /** The query answer for {@code value} (null = absent). */
  public static byte[] encodeResult(byte[] value) {
    if (value == null) {
      return new byte[] {ABSENT};
    }
    byte[] out = new byte[value.length + 1];
    out[0] = PRESENT;
    System.arraycopy(value, 0, out, 1, value.length);
    return out;
  }

  /** The value in a query answer, or null when the key was absent. */
  public static byte[] decodeResult(byte[] result) {
    if (result == null || result.length == 0) {
      throw new CommandFormatException("not a valid KvQuery result: empty");
    }
    return switch (result[0]) {
      case ABSENT -> {
        if (result.length != 1) {
          throw new CommandFormatException(
              "not a valid KvQuery result: absent marker followed by "
                  + (result.length - 1)
                  + " bytes");
        }
        yield null;
      }
      case PRESENT -> Arrays.copyOfRange(result, 1, result.length);
      default ->
          throw new CommandFormatException(
              "not a valid KvQuery result: unknown marker " + result[0] + " at byte 0");
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvQuery q && Arrays.equals(q.key, key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "KvQuery[" + Bytes.printable(key) + "]";
  }
}
