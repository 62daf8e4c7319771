package dev.faultline.histories.format;

import dev.faultline.histories.Keyword;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small EDN reader over text that knows the line and column of every form, which is what the Java
 * EDN libraries do not offer and what error messages need.
 *
 * <p>It yields null, Boolean, Long, BigInteger, Double, String, {@link Keyword}, unmodifiable lists
 * (for vectors, lists and sets) and insertion-ordered maps whose keys are kept as read. Other
 * symbols become strings; a tagged literal ({@code #inst "..."}, {@code #some.Record{...}}) yields
 * its form with the tag dropped; {@code #_} discards the next form; commas are whitespace.
 */
final class EdnParser {
  private final String source;
  private final String text;
  private int pos;
  private int line;
  private int lineStart;
  private int depth;

  /** How deep collections may nest; deeper input is refused rather than overflowing the stack. */
  static final int MAX_DEPTH = 1000;

  /**
   * The longest number read: parsing a big integer takes time quadratic in its digits, and no
   * history needs a number this long.
   */
  static final int MAX_NUMBER_CHARS = 1000;

  /** A parser over {@code text}, whose first character is at line {@code firstLine}, column 1. */
  EdnParser(String source, String text, int firstLine) {
    this.source = source;
    this.text = text;
    this.line = firstLine;
  }

  int line() {
    return line;
  }

  int column() {
    return pos - lineStart + 1;
  }

  /** Packs the current position for {@link #failAt}. */
  long position() {
    return ((long) line << 32) | column();
  }

  /** Skips whitespace, commas, comments and discarded forms; true when the text is used up. */
  boolean atEnd() {
    skipSpace();
    return pos >= text.length();
  }

  /** The next significant character without consuming it, or -1 at the end. */
  int peek() {
    skipSpace();
    return pos < text.length() ? text.charAt(pos) : -1;
  }

  /** Moves to {@code offset} within the current line. */
  void skipTo(int offset) {
    while (pos < offset && pos < text.length()) {
      advance();
    }
  }

  /** Consumes one character that the caller has peeked. */
  void consume() {
    advance();
  }

  HistoryFormatException fail(String expected, String found) {
    return HistoryFormatException.expected(source, line, column(), expected, found);
  }

  HistoryFormatException failAt(long position, String expected, String found) {
    return HistoryFormatException.expected(
        source, (int) (position >>> 32), (int) position, expected, found);
  }

  /** Reads one form. */
  Object readValue() {
    if (depth >= MAX_DEPTH) {
      throw fail("values nested at most " + MAX_DEPTH + " deep", "deeper nesting");
    }
    depth++;
    try {
      return readForm();
    } finally {
      depth--;
    }
  }

  private Object readForm() {
    skipSpace();
    if (pos >= text.length()) {
      throw fail("a value", "end of input");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '[':
        advance();
        return readSequence(']', "vector", line, column() - 1);
      case '(':
        advance();
        return readSequence(')', "list", line, column() - 1);
      case '{':
        {
          advance();
          Map<Object, Object> m = new LinkedHashMap<>();
          readMapBody(m, null, line, column() - 1);
          return m;
        }
      case '"':
        return readString();
      case ':':
        return readKeyword();
      case '\\':
        return readCharacter();
      case '#':
        return readDispatch();
      case ']':
      case ')':
      case '}':
        throw fail("a value", "an unmatched '" + c + "'");
      default:
        return readAtom();
    }
  }

  /**
   * Reads the entries of a map whose '{' was just consumed, into {@code out}; when {@code
   * positions} is given, records the packed position of each value under its key.
   */
  void readMapBody(
      Map<Object, Object> out, Map<Object, Long> positions, int openLine, int openCol) {
    while (true) {
      skipSpace();
      if (pos >= text.length()) {
        throw fail("'}' closing the map opened at " + openLine + ":" + openCol, endFound(openLine));
      }
      char c = text.charAt(pos);
      if (c == '}') {
        advance();
        return;
      }
      if (c == ']' || c == ')') {
        throw fail("'}' closing the map opened at " + openLine + ":" + openCol, "'" + c + "'");
      }
      Object key = readValue();
      skipSpace();
      if (pos < text.length() && text.charAt(pos) == '}') {
        throw fail("a value for key " + show(key), "'}'");
      }
      if (pos >= text.length()) {
        throw fail("a value for key " + show(key), endFound(openLine));
      }
      long at = position();
      Object value = readValue();
      out.put(key, value);
      if (positions != null) {
        positions.put(key, at);
      }
    }
  }

  private String endFound(int openLine) {
    return openLine == line ? "end of line" : "end of input";
  }

  private List<Object> readSequence(char close, String what, int openLine, int openCol) {
    List<Object> out = new ArrayList<>();
    while (true) {
      skipSpace();
      if (pos >= text.length()) {
        throw fail(
            "'" + close + "' closing the " + what + " opened at " + openLine + ":" + openCol,
            endFound(openLine));
      }
      char c = text.charAt(pos);
      if (c == close) {
        advance();
        return Collections.unmodifiableList(out);
      }
      if (c == ']' || c == ')' || c == '}') {
        throw fail(
            "'" + close + "' closing the " + what + " opened at " + openLine + ":" + openCol,
            "'" + c + "'");
      }
      out.add(readValue());
    }
  }

  private Object readDispatch() {
    int startLine = line;
    int startCol = column();
    advance();
    if (pos >= text.length()) {
      throw fail("a form after '#'", "end of input");
    }
    char c = text.charAt(pos);
    if (c == '{') {
      advance();
      return readSequence('}', "set", startLine, startCol);
    }
    if (c == '_') {
      advance();
      readValue();
      return readValue();
    }
    if (c == '#') {
      advance();
      String name = readToken();
      return switch (name) {
        case "Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> throw fail("##Inf, ##-Inf or ##NaN", "`##" + name + "`");
      };
    }
    if (c == '"') {
      return readString(); // a regex: kept as its source text
    }
    if (isSymbolStart(c)) {
      readToken(); // the tag; its form follows
      return readValue();
    }
    throw fail("a tag, set or discard after '#'", "'" + c + "'");
  }

  private String readString() {
    int startLine = line;
    int startCol = column();
    advance();
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw HistoryFormatException.expected(
            source,
            startLine,
            startCol,
            "a closing '\"' for the string opened here",
            endFound(startLine));
      }
      char c = text.charAt(pos);
      if (c == '"') {
        advance();
        return b.toString();
      }
      if (c == '\\') {
        advance();
        if (pos >= text.length()) {
          continue;
        }
        char e = text.charAt(pos);
        switch (e) {
          case 't' -> b.append('\t');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case '\\' -> b.append('\\');
          case '"' -> b.append('"');
          case 'u' -> {
            if (pos + 5 > text.length()) {
              throw fail("four hex digits after \\u", "end of input");
            }
            String hex = text.substring(pos + 1, pos + 5);
            try {
              b.append((char) Integer.parseInt(hex, 16));
            } catch (NumberFormatException ex) {
              throw fail("four hex digits after \\u", "`" + hex + "`");
            }
            pos += 4;
          }
          default -> throw fail("a string escape (\\t \\n \\r \\\\ \\\" \\uXXXX)", "\\" + e);
        }
        advance();
      } else {
        advance();
        b.append(c);
      }
    }
  }

  private Keyword readKeyword() {
    advance();
    String name = readToken();
    if (name.isEmpty()) {
      throw fail("a keyword name after ':'", describeHere());
    }
    return new Keyword(name.startsWith(":") ? name.substring(1) : name);
  }

  private String readCharacter() {
    advance();
    String name = readToken();
    if (name.isEmpty()) {
      if (pos >= text.length()) {
        throw fail("a character after '\\'", "end of input");
      }
      char c = text.charAt(pos);
      advance();
      return String.valueOf(c);
    }
    return switch (name) {
      case "newline" -> "\n";
      case "space" -> " ";
      case "tab" -> "\t";
      case "return" -> "\r";
      default -> name.substring(0, 1);
    };
  }

  private Object readAtom() {
    int col = column();
    int startLine = line;
    String token = readToken();
    if (token.isEmpty()) {
      throw fail("a value", describeHere());
    }
    char c0 = token.charAt(0);
    boolean numeric =
        Character.isDigit(c0)
            || ((c0 == '-' || c0 == '+')
                && token.length() > 1
                && Character.isDigit(token.charAt(1)));
    if (numeric) {
      if (token.length() > MAX_NUMBER_CHARS) {
        throw HistoryFormatException.expected(
            source,
            startLine,
            col,
            "a number of at most " + MAX_NUMBER_CHARS + " characters",
            "one of " + token.length());
      }
      Object n = parseNumber(token);
      if (n == null) {
        throw HistoryFormatException.expected(
            source, startLine, col, "a number", "`" + token + "`");
      }
      return n;
    }
    return switch (token) {
      case "nil" -> null;
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> token;
    };
  }

  /**
   * Parses an EDN integer (optional N suffix), float (optional M suffix, exponent) or Clojure ratio
   * ({@code 3/2}, as Jepsen histories hold them: a ratio that is a whole number becomes that
   * integer, any other a double), or returns null.
   */
  static Object parseNumber(String token) {
    int slash = token.indexOf('/');
    if (slash > 0) {
      Object num = parseNumber(token.substring(0, slash));
      Object den = parseNumber(token.substring(slash + 1));
      if (!(isInteger(num) && isInteger(den)) || token.charAt(slash + 1) == '-') {
        return null;
      }
      BigInteger n = new BigInteger(num.toString());
      BigInteger d = new BigInteger(den.toString());
      if (d.signum() == 0) {
        return null;
      }
      BigInteger[] qr = n.divideAndRemainder(d);
      if (qr[1].signum() == 0) {
        return qr[0].bitLength() < 64 ? (Object) qr[0].longValue() : qr[0];
      }
      return new BigDecimal(n)
          .divide(new BigDecimal(d), java.math.MathContext.DECIMAL64)
          .doubleValue();
    }
    try {
      if (token.endsWith("N")) {
        BigInteger big = new BigInteger(token.substring(0, token.length() - 1));
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
      }
      if (token.endsWith("M")) {
        return new BigDecimal(token.substring(0, token.length() - 1)).doubleValue();
      }
      boolean floating = false;
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        if (c == '.' || c == 'e' || c == 'E') {
          floating = true;
          break;
        }
      }
      if (floating) {
        for (int i = 0; i < token.length(); i++) {
          char c = token.charAt(i);
          if (!(Character.isDigit(c) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')) {
            return null;
          }
        }
        return Double.parseDouble(token);
      }
      String digits = token.startsWith("+") ? token.substring(1) : token;
      if (digits.length() < 19) {
        return Long.parseLong(digits);
      }
      BigInteger big = new BigInteger(digits);
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean isInteger(Object n) {
    return n instanceof Long || n instanceof BigInteger;
  }

  private String readToken() {
    int start = pos;
    while (pos < text.length() && !isDelimiter(text.charAt(pos))) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private String describeHere() {
    if (pos >= text.length()) {
      return "end of input";
    }
    return "'" + text.charAt(pos) + "'";
  }

  private static boolean isDelimiter(char c) {
    return Character.isWhitespace(c)
        || c == ','
        || c == '['
        || c == ']'
        || c == '('
        || c == ')'
        || c == '{'
        || c == '}'
        || c == '"'
        || c == ';';
  }

  private static boolean isSymbolStart(char c) {
    return Character.isLetter(c) || c == '.' || c == '*' || c == '+' || c == '!' || c == '-';
  }

  private void advance() {
    if (text.charAt(pos) == '\n') {
      line++;
      lineStart = pos + 1;
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ';') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '#' && pos + 1 < text.length() && text.charAt(pos + 1) == '_') {
        advance();
        advance();
        readValue();
      } else if (Character.isWhitespace(c) || c == ',') {
        advance();
      } else {
        return;
      }
    }
  }

  static String show(Object v) {
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    return String.valueOf(v);
  }
}
