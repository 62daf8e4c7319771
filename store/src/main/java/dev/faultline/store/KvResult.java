package dev.faultline.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * The answer to an applied {@link KvCommand}: {@link Done} when it took effect, {@link CasMismatch}
 * when a compare-and-set found another value, {@link Rejected} when the command was not applied at
 * all (a stale session sequence number or a size limit).
 *
 * <p>Encoding: version byte 1, tag (1 done, 2 cas-mismatch, 3 rejected), then one length-prefixed
 * byte string (-1 = absent; UTF-8 text for rejected).
 */
public sealed interface KvResult {

  byte[] encode();

  /** Decodes an encoding; throws {@link CommandFormatException} for anything else. */
  static KvResult decode(byte[] data) {
    Wire.Reader r = new Wire.Reader(data, "KvResult").version();
    int tag = r.u8("tag");
    KvResult result =
        switch (tag) {
          case Done.TAG -> new Done(r.bytes("previous", true));
          case CasMismatch.TAG -> new CasMismatch(r.bytes("current", true));
          case Rejected.TAG -> new Rejected(r.utf8("reason"));
          default ->
              throw r.fail(
                  1, "unknown result tag " + tag + " (1 done, 2 cas-mismatch, 3 rejected)");
        };
    r.end();
    return result;
  }

  /** The command took effect; {@code previous} is the value before it (null = absent). */
  record Done(byte[] previous) implements KvResult {
    static final int TAG = 1;

    @Override
    public byte[] encode() {
      return new Wire.Writer(6 + (previous == null ? 0 : previous.length))
          .u8(Wire.VERSION)
          .u8(TAG)
          .bytes(previous)
          .done();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Done d && Arrays.equals(d.previous, previous);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(previous);
    }

    @Override
    public String toString() {
      return "Done[previous=" + Bytes.printable(previous) + "]";
    }
  }

  /** A compare-and-set did not swap: the value is {@code current} (null = absent). */
  record CasMismatch(byte[] current) implements KvResult {
    static final int TAG = 2;

    @Override
    public byte[] encode() {
      return new Wire.Writer(6 + (current == null ? 0 : current.length))
          .u8(Wire.VERSION)
          .u8(TAG)
          .bytes(current)
          .done();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CasMismatch m && Arrays.equals(m.current, current);
    }

    @Override
    public int hashCode() {
      return 31 + Arrays.hashCode(current);
    }

    @Override
    public String toString() {
      return "CasMismatch[current=" + Bytes.printable(current) + "]";
    }
  }

  /**
   * The command was certainly not applied by this log entry, for the one-line {@code reason}: a
   * session sequence number older than the client's last (whose answer is no longer kept), or a key
   * or value over the limits.
   */
  record Rejected(String reason) implements KvResult {
    static final int TAG = 3;

    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public byte[] encode() {
      return new Wire.Writer(8 + reason.length() * 3).u8(Wire.VERSION).u8(TAG).utf8(reason).done();
    }
  }
}
