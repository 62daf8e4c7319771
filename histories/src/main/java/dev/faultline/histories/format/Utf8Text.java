package dev.faultline.histories.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Finds where a history file stops being UTF-8, so that a bad byte is reported at its line and
 * column (counted in characters, as every other position is) rather than as the decoder's bare
 * "Input length = 1".
 */
final class Utf8Text {
  private Utf8Text() {}

  /** The error at the first byte of {@code file} that is not UTF-8, or null when there is none. */
  static HistoryFormatException firstMalformed(String source, Path file) throws IOException {
    CharsetDecoder decoder = decoder();
    ByteBuffer in = ByteBuffer.allocate(1 << 16);
    CharBuffer out = CharBuffer.allocate(1 << 16);
    int line = 1;
    long column = 1;
    try (InputStream s = Files.newInputStream(file)) {
      boolean eof = false;
      while (true) {
        if (!eof) {
          int n = s.read(in.array(), in.position(), in.remaining());
          if (n < 0) {
            eof = true;
          } else {
            in.position(in.position() + n);
          }
        }
        in.flip();
        CoderResult r = decoder.decode(in, out, eof);
        out.flip();
        while (out.hasRemaining()) {
          if (out.get() == '\n') {
            line++;
            column = 1;
          } else {
            column++;
          }
        }
        out.clear();
        if (r.isError()) {
          int bad = in.get(in.position()) & 0xFF;
          return error(source, line, (int) Math.min(Integer.MAX_VALUE, column), bad);
        }
        in.compact();
        if (eof && in.position() == 0) {
          return null;
        }
        if (eof && r.isUnderflow()) {
          return null;
        }
      }
    }
  }

  /**
   * The error at the first byte of one line (bytes {@code from} to {@code from + len}) that is not
   * UTF-8, or null when the line is UTF-8.
   */
  static HistoryFormatException firstMalformed(
      String source, int lineNo, byte[] buf, int from, int len) {
    ByteBuffer in = ByteBuffer.wrap(buf, from, len);
    CharBuffer out = CharBuffer.allocate(len + 1);
    CoderResult r = decoder().decode(in, out, true);
    if (!r.isError()) {
      return null;
    }
    return error(source, lineNo, out.position() + 1, buf[in.position()] & 0xFF);
  }

  private static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  private static HistoryFormatException error(String source, int line, int column, int bad) {
    return HistoryFormatException.expected(
        source,
        line,
        column,
        "UTF-8 text",
        String.format(Locale.ROOT, "byte 0x%02X, which is not UTF-8 there", bad));
  }
}
