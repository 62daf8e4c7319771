package dev.faultline.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable byte string used as a map key: equality and hash are by content. The array is copied
 * in and never handed out, so a key cannot change while a map holds it.
 */
public final class Bytes implements Comparable<Bytes> {
  private final byte[] bytes;
  private final int hash;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
    this.hash = mix(bytes);
  }

  /** A key holding a copy of {@code bytes}. */
  public static Bytes of(byte[] bytes) {
    return new Bytes(bytes.clone());
  }

  /** A key over the UTF-8 encoding of {@code s}. */
  public static Bytes utf8(String s) {
    return new Bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Wraps an array the caller promises never to modify again. */
  static Bytes wrap(byte[] bytes) {
    return new Bytes(bytes);
  }

  /** A copy of the content. */
  public byte[] toArray() {
    return bytes.clone();
  }

  /** The content without copying; callers in this package never modify it. */
  byte[] array() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  /** FNV-1a over the bytes, finished with MurmurHash3's avalanche so every bit mixes. */
  private static int mix(byte[] bytes) {
    int h = 0x811c9dc5;
    for (byte b : bytes) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && other.hash == hash && Arrays.equals(other.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  /** The UTF-8 text when the bytes are printable, else hex; for messages, never for logic. */
  @Override
  public String toString() {
    return printable(bytes);
  }

  static String printable(byte[] bytes) {
    if (bytes == null) {
      return "<absent>";
    }
    boolean text = true;
    for (byte b : bytes) {
      if (b < 0x20 || b == 0x7f) {
        text = false;
        break;
      }
    }
    int shown = Math.min(bytes.length, 64);
    StringBuilder sb = new StringBuilder();
    if (text) {
      sb.append('"').append(new String(bytes, 0, shown, StandardCharsets.UTF_8)).append('"');
    } else {
      sb.append("0x");
      for (int i = 0; i < shown; i++) {
        sb.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16))
            .append(Character.forDigit(bytes[i] & 0xf, 16));
      }
    }
    if (shown < bytes.length) {
      sb.append("...(").append(bytes.length).append(" bytes)");
    }
    return sb.toString();
  }
}
