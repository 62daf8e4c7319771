package dev.faultline.histories.format;

import dev.faultline.histories.Keyword;
import dev.faultline.histories.Op;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Writes ops as Jepsen EDN, one map per line: {@code :type} and {@code :f} as keywords, the nemesis
 * as {@code :process :nemesis}. An op on a key is written the way Jepsen's {@code
 * jepsen.independent} and Knossos read independent keys, its value as the tuple {@code [key
 * value]}; the key is also written as its own {@code :key} field (which Jepsen ignores), so that
 * reading it back unwraps exactly what was wrapped and JSON Lines to EDN and back is exact. A
 * keyless client op whose value is a two-element vector carries {@code :key nil}, so that a reader
 * does not take its value for an independent tuple.
 */
public final class EdnWriter implements OpWriter {
  private final Writer out;
  private final StringBuilder line = new StringBuilder(128);

  public EdnWriter(Writer out) {
    this.out = out;
  }

  @Override
  public void write(Op op) throws IOException {
    line.setLength(0);
    appendOp(op, line);
    line.append('\n');
    out.append(line);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  static void appendOp(Op op, StringBuilder b) {
    b.append("{:index ").append(op.index());
    if (op.hasTime()) {
      b.append(", :time ").append(op.time());
    }
    b.append(", :process ");
    if (op.isNemesis()) {
      b.append(":nemesis");
    } else {
      b.append(op.process());
    }
    b.append(", :type :").append(op.type().wireName());
    b.append(", :f ");
    if (isKeywordName(op.f())) {
      b.append(':').append(op.f());
    } else {
      appendString(op.f(), b);
    }
    if (op.key() != null) {
      b.append(", :key ");
      appendValue(op.key(), b);
      b.append(", :value [");
      appendValue(op.key(), b);
      b.append(' ');
      appendValue(op.value(), b);
      b.append(']');
    } else {
      if (!op.isNemesis() && EdnOpDecoder.looksLikeTuple(op.f(), op.value())) {
        // A keyless value shaped like an independent tuple: an explicit nil key tells the reader
        // not to split it.
        b.append(", :key nil");
      }
      b.append(", :value ");
      appendValue(op.value(), b);
    }
    if (op.node() != null) {
      b.append(", :node ");
      appendString(op.node(), b);
    }
    if (op.error() != null) {
      b.append(", :error ");
      appendString(op.error(), b);
    }
    b.append('}');
  }

  /** A history value in EDN, as this writer writes it. */
  public static String value(Object v) {
    StringBuilder b = new StringBuilder();
    appendValue(v, b);
    return b.toString();
  }

  /** Appends a history value in EDN; map keys are written as strings, as {@link Op} holds them. */
  static void appendValue(Object v, StringBuilder b) {
    if (v == null) {
      b.append("nil");
    } else if (v instanceof String s) {
      appendString(s, b);
    } else if (v instanceof Keyword k) {
      b.append(k);
    } else if (v instanceof BigInteger big) {
      b.append(big).append('N');
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new IllegalArgumentException("EDN has no representation for " + d);
      }
      b.append(d);
    } else if (v instanceof List<?> list) {
      b.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          b.append(' ');
        }
        appendValue(list.get(i), b);
      }
      b.append(']');
    } else if (v instanceof Map<?, ?> map) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          b.append(", ");
        }
        first = false;
        appendValue(e.getKey(), b);
        b.append(' ');
        appendValue(e.getValue(), b);
      }
      b.append('}');
    } else {
      b.append(v);
    }
  }

  private static void appendString(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private static boolean isKeywordName(String s) {
    if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || "-_.*+!?<>=/".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }
}
