package dev.faultline.histories.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Faultline's JSON Lines in one streaming pass, a fresh Jackson parser per line so that a
 * torn or broken line is reported at its own line and never swallows the next. Unknown fields are
 * ignored; {@code index} is re-assigned densely.
 */
final class JsonLinesReader {
  private static final JsonFactory JSON = new JsonFactory();

  private final String source;
  private final KeyCache keys = new KeyCache();

  JsonLinesReader(String source) {
    this.source = source;
  }

  /**
   * Reads the whole stream. Lines are split and parsed as bytes (no decoding into strings); a line
   * that fails is parsed again as text, so its error carries the exact character column.
   */
  History read(InputStream in) throws IOException {
    HistoryPairing pairing = new HistoryPairing(source);
    byte[] buf = new byte[1 << 16];
    int start = 0; // first byte of the current line
    int end = 0; // bytes filled
    int scanned = 0; // bytes already searched for a newline
    int lineNo = 0;
    while (true) {
      int nl = -1;
      for (int i = scanned; i < end; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      if (nl < 0) {
        scanned = end;
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, end - start);
          end -= start;
          scanned -= start;
          start = 0;
        }
        if (end == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
          if (end > start) {
            lineNo++;
            addLine(pairing, buf, start, end, lineNo);
          }
          return pairing.build();
        }
        end += n;
        continue;
      }
      lineNo++;
      addLine(pairing, buf, start, nl, lineNo);
      start = nl + 1;
      scanned = start;
    }
  }

  private void addLine(HistoryPairing pairing, byte[] buf, int from, int to, int lineNo) {
    int len = to - from;
    if (len > 0 && buf[to - 1] == '\r') {
      len--;
    }
    if (isBlank(buf, from, len)) {
      return;
    }
    Op op;
    try (JsonParser p = JSON.createParser(buf, from, len)) {
      op = parseObject(p, lineNo);
    } catch (IOException | HistoryFormatException e) {
      HistoryFormatException notUtf8 = Utf8Text.firstMalformed(source, lineNo, buf, from, len);
      if (notUtf8 != null) {
        throw notUtf8;
      }
      // Report from the text, where Jackson counts columns in characters rather than bytes.
      op = parseLine(new String(buf, from, len, StandardCharsets.UTF_8), lineNo);
    }
    pairing.add(op, lineNo, 1);
  }

  private static boolean isBlank(byte[] buf, int from, int len) {
    for (int i = from; i < from + len; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Parses one line into an op (index 0; the history assigns it). */
  Op parseLine(String text, int lineNo) {
    try (JsonParser p = JSON.createParser(text)) {
      return parseObject(p, lineNo);
    } catch (JsonEOFException e) {
      throw HistoryFormatException.expected(
          source,
          lineNo,
          text.length() + 1,
          "the rest of the JSON object (the line is cut short)",
          "end of line");
    } catch (InputCoercionException e) {
      throw HistoryFormatException.expected(
          source,
          lineNo,
          column(e.getLocation().getColumnNr()),
          "a number that fits",
          firstLine(e.getOriginalMessage()));
    } catch (JsonParseException e) {
      throw HistoryFormatException.expected(
          source,
          lineNo,
          column(e.getLocation().getColumnNr()),
          "valid JSON",
          firstLine(e.getOriginalMessage()));
    } catch (StreamConstraintsException e) {
      // Jackson's limits (number length, nesting depth, string length) keep parsing linear.
      String why = firstLine(e.getOriginalMessage());
      int from = why.indexOf(", from `");
      throw HistoryFormatException.expected(
          source,
          lineNo,
          e.getLocation() == null ? 1 : column(e.getLocation().getColumnNr()),
          "a value within the reader's limits",
          from < 0 ? why : why.substring(0, from) + ")");
    } catch (IOException e) {
      throw new HistoryFormatException(
          source, lineNo, 1, "expected valid JSON, found " + firstLine(e.getMessage()));
    }
  }

  private Op parseObject(JsonParser p, int lineNo) throws IOException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      throw fail(p, lineNo, "a JSON object per line", describe(p, t));
    }
    long process = Long.MIN_VALUE;
    OpType type = null;
    String f = null;
    long time = Op.NO_TIME;
    Object key = null;
    Object value = null;
    String node = null;
    String error = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "process" -> {
          if (v == JsonToken.VALUE_NUMBER_INT) {
            process = p.getLongValue();
            if (process < 0) {
              throw fail(p, lineNo, "a process id >= 0 or \"nemesis\"", p.getText());
            }
          } else if (v == JsonToken.VALUE_STRING && p.getText().equals("nemesis")) {
            process = Op.NEMESIS;
          } else {
            throw fail(p, lineNo, "process to be an integer or \"nemesis\"", describe(p, v));
          }
        }
        case "type" -> {
          type = v == JsonToken.VALUE_STRING ? OpType.fromWire(p.getText()) : null;
          if (type == null) {
            throw fail(p, lineNo, "type to be one of invoke, ok, fail, info", describe(p, v));
          }
        }
        case "f" -> {
          if (v != JsonToken.VALUE_STRING) {
            throw fail(p, lineNo, "f to be a string", describe(p, v));
          }
          f = Names.intern(p.getText());
        }
        case "time" -> {
          if (v == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0) {
            time = p.getLongValue();
          } else if (v != JsonToken.VALUE_NULL) {
            throw fail(p, lineNo, "time to be a non-negative integer", describe(p, v));
          }
        }
        case "key" -> key = keys.share(readValue(p, v));
        case "value" -> value = readValue(p, v);
        case "node" -> node = Names.intern(textField(p, v, lineNo, "node"));
        case "error" -> error = Names.intern(textField(p, v, lineNo, "error"));
        default -> p.skipChildren();
      }
    }
    int endCol = p.currentTokenLocation().getColumnNr();
    if (process == Long.MIN_VALUE || type == null || f == null) {
      String missing = process == Long.MIN_VALUE ? "process" : type == null ? "type" : "f";
      throw HistoryFormatException.expected(
          source, lineNo, column(endCol), "a \"" + missing + "\" field", "'}'");
    }
    JsonToken after = p.nextToken();
    if (after != null) {
      throw fail(p, lineNo, "end of line after the object", describe(p, after));
    }
    return new Op(0, time, process, type, f, key, value, node, error);
  }

  private String textField(JsonParser p, JsonToken v, int lineNo, String field) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return null;
    }
    if (v != JsonToken.VALUE_STRING) {
      throw fail(p, lineNo, field + " to be a string", describe(p, v));
    }
    return p.getText();
  }

  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_NULL:
        return null;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          BigInteger big = p.getBigIntegerValue();
          return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case START_ARRAY:
        {
          List<Object> out = new ArrayList<>();
          JsonToken e;
          while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            out.add(readValue(p, e));
          }
          return Collections.unmodifiableList(out);
        }
      case START_OBJECT:
        {
          Map<String, Object> out = new LinkedHashMap<>();
          String name;
          while ((name = p.nextFieldName()) != null) {
            out.put(name, readValue(p, p.nextToken()));
          }
          return Collections.unmodifiableMap(out);
        }
      default:
        throw new JsonParseException(p, "unexpected " + t);
    }
  }

  private HistoryFormatException fail(JsonParser p, int lineNo, String expected, String found) {
    return HistoryFormatException.expected(
        source, lineNo, column(p.currentTokenLocation().getColumnNr()), expected, found);
  }

  private static String describe(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      return "end of line";
    }
    return switch (t) {
      case VALUE_STRING -> "\"" + HistoryFormat.abbreviate(p.getText()) + "\"";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> p.getText();
    };
  }

  private static int column(int jacksonColumn) {
    return Math.max(jacksonColumn, 1);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable JSON";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  /** Shares equal keys between ops, so a million ops over a few keys hold a few key objects. */
  private static final class KeyCache {
    private static final int LIMIT = 1 << 16;
    private final Map<Object, Object> known = new java.util.HashMap<>();

    Object share(Object key) {
      if (key == null || known.size() >= LIMIT && !known.containsKey(key)) {
        return key;
      }
      Object prior = known.putIfAbsent(key, key);
      return prior == null ? key : prior;
    }
  }
}
