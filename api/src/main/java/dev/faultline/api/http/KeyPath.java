package dev.faultline.api.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keys travel as one URL path segment: any byte may be sent percent-encoded, so keys are
 * binary-safe. Decoding is strict: a {@code %} must be followed by two hex digits, and {@code +}
 * stays a plus sign (it means space only in form bodies, not in paths).
 */
public final class KeyPath {

  private KeyPath() {}

  /**
   * Refuses a raw path whose percent-encoding is broken ({@code %} not followed by two hex digits),
   * before the router tries to decode it.
   */
  static void checkEncoding(String raw) {
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length()
          || Character.digit(raw.charAt(i + 1), 16) < 0
          || Character.digit(raw.charAt(i + 2), 16) < 0) {
        throw badEncoding(i);
      }
    }
  }

  private static ApiError badEncoding(int at) {
    return ApiError.badRequest(
        "invalid percent-encoding in key at character "
            + at
            + ": '%' must be followed by two hex digits (encode '%' itself as %25)");
  }

  /** Decodes a raw (still encoded) path segment to the key's bytes. */
  public static byte[] decode(String raw, int maxKeyBytes) {
    if (raw.isEmpty()) {
      throw ApiError.badRequest("empty key: send PUT/GET/DELETE /v1/kv/{key} with a non-empty key");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 1 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw badEncoding(i);
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
          utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(utf8, 0, utf8.length);
      }
      if (out.size() > maxKeyBytes) {
        throw ApiError.badRequest(
            "key longer than "
                + maxKeyBytes
                + " bytes: use a shorter key (the limit is max-key-bytes)");
      }
    }
    return out.toByteArray();
  }

  /** Encodes a key as one path segment: every byte outside {@code [A-Za-z0-9_~-]} as %XX. */
  public static String encode(byte[] key) {
    StringBuilder sb = new StringBuilder(key.length * 3);
    for (byte b : key) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
