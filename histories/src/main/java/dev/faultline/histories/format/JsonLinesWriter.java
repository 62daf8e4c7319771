package dev.faultline.histories.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.faultline.histories.Keyword;
import dev.faultline.histories.Op;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Writes ops as Faultline's JSON Lines, one object per line, fields in the order {@code index,
 * time, process, type, f, key, value, node, error}; absent time, key, node and error are left out.
 * A {@link Keyword} value is written as the string {@code ":name"}, since JSON has no keywords.
 */
public final class JsonLinesWriter implements OpWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private final Writer out;

  public JsonLinesWriter(Writer out) {
    this.out = out;
  }

  @Override
  public void write(Op op) throws IOException {
    out.write(line(op));
    out.write('\n');
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** The op's line, without the newline. */
  public static String line(Op op) {
    StringWriter sw = new StringWriter(128);
    try (JsonGenerator g = JSON.createGenerator(sw)) {
      g.writeStartObject();
      g.writeNumberField("index", op.index());
      if (op.hasTime()) {
        g.writeNumberField("time", op.time());
      }
      if (op.isNemesis()) {
        g.writeStringField("process", "nemesis");
      } else {
        g.writeNumberField("process", op.process());
      }
      g.writeStringField("type", op.type().wireName());
      g.writeStringField("f", op.f());
      if (op.key() != null) {
        g.writeFieldName("key");
        writeValue(g, op.key());
      }
      g.writeFieldName("value");
      writeValue(g, op.value());
      if (op.node() != null) {
        g.writeStringField("node", op.node());
      }
      if (op.error() != null) {
        g.writeStringField("error", op.error());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new IllegalArgumentException("JSON has no representation for " + d);
      }
      g.writeNumber(d);
    } else if (v instanceof BigInteger big) {
      g.writeNumber(big);
    } else if (v instanceof Keyword k) {
      g.writeString(k.toString());
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object o : list) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Number n) {
      g.writeNumber(n.longValue());
    } else {
      throw new IllegalArgumentException("not a history value: " + v.getClass().getName());
    }
  }
}
