package dev.faultline.histories.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigInteger;
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

  History read(BufferedReader in) throws IOException {
    HistoryPairing pairing = new HistoryPairing(source);
    String text;
    int lineNo = 0;
    while ((text = in.readLine()) != null) {
      lineNo++;
      if (text.isBlank()) {
        continue;
      }
      pairing.add(parseLine(text, lineNo), lineNo, 1);
    }
    return pairing.build();
  }

  /** Parses one line into an op (index 0; the history assigns it). */
  Op parseLine(String text, int lineNo) {
    try (JsonParser p = JSON.createParser(text)) {
      return parseObject(p, text, lineNo);
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
    } catch (IOException e) {
      throw new HistoryFormatException(source, lineNo, 1, "expected valid JSON, found " + e);
    }
  }

  private Op parseObject(JsonParser p, String text, int lineNo) throws IOException {
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
