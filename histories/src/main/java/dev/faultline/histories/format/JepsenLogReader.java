package dev.faultline.histories.format;

import dev.faultline.histories.History;
import dev.faultline.histories.Keyword;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.histories.Values;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads Jepsen's text log, the lines {@code INFO jepsen.util - 3\t:invoke\t:read\tnil} of a run's
 * {@code jepsen.log}, whose fields are separated by any whitespace (tabs, runs of spaces, or a
 * mixture); other log lines are skipped. An {@code :info} completion whose value is a keyword (such
 * as {@code :timed-out}) is a reason, not a value: it becomes the op's {@code error} and the value
 * is its invocation's.
 */
final class JepsenLogReader {
  private static final String MARKER = "jepsen.util - ";

  private final String source;

  JepsenLogReader(String source) {
    this.source = source;
  }

  History read(BufferedReader in) throws IOException {
    HistoryPairing pairing = new HistoryPairing(source);
    Map<Long, Object> openValues = new HashMap<>();
    String text;
    int lineNo = 0;
    while ((text = in.readLine()) != null) {
      lineNo++;
      int at = text.indexOf(MARKER);
      if (at < 0) {
        continue;
      }
      int start = at + MARKER.length();
      Op op = parse(text, start, lineNo);
      if (!op.isNemesis()) {
        if (op.isInvoke()) {
          openValues.put(op.process(), op.value());
        } else {
          Object invoked = openValues.remove(op.process());
          if (op.type() == OpType.INFO && op.value() instanceof Keyword reason) {
            op =
                new Op(
                    0,
                    op.time(),
                    op.process(),
                    op.type(),
                    op.f(),
                    op.key(),
                    invoked,
                    op.node(),
                    reason.name());
          }
        }
      }
      pairing.add(op, lineNo, start + 1);
    }
    return pairing.build();
  }

  private Op parse(String text, int start, int lineNo) {
    // Fields are separated by any whitespace, as Jepsen writes them (tabs in some logs, runs of
    // spaces in others): process, type, f, then the value (which may itself hold whitespace).
    int[] fieldStart = new int[4];
    int[] fieldEnd = new int[3];
    int i = start;
    int field = 0;
    while (field < 4) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= text.length()) {
        break;
      }
      fieldStart[field] = i;
      if (field == 3) {
        field++;
        break;
      }
      while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      fieldEnd[field++] = i;
    }
    if (field < 3) {
      throw HistoryFormatException.expected(
          source,
          lineNo,
          text.length() + 1,
          "process, type, f and value separated by whitespace",
          field + " field" + (field == 1 ? "" : "s"));
    }
    if (field == 3) {
      fieldStart[3] = text.length();
    }
    String proc = text.substring(fieldStart[0], fieldEnd[0]);
    long process;
    if (proc.equals(":nemesis")) {
      process = Op.NEMESIS;
    } else {
      try {
        process = Long.parseLong(proc);
      } catch (NumberFormatException e) {
        throw HistoryFormatException.expected(
            source, lineNo, fieldStart[0] + 1, "a process number or :nemesis", "`" + proc + "`");
      }
    }
    String typeText = text.substring(fieldStart[1], fieldEnd[1]);
    OpType type = typeText.startsWith(":") ? OpType.fromWire(typeText.substring(1)) : null;
    if (type == null) {
      throw HistoryFormatException.expected(
          source,
          lineNo,
          fieldStart[1] + 1,
          "a type :invoke, :ok, :fail or :info",
          "`" + typeText + "`");
    }
    String fText = text.substring(fieldStart[2], fieldEnd[2]);
    if (fText.length() < 2 || fText.charAt(0) != ':') {
      throw HistoryFormatException.expected(
          source, lineNo, fieldStart[2] + 1, "a function keyword such as :read", "`" + fText + "`");
    }
    String f = Names.intern(fText.substring(1));
    EdnParser p = new EdnParser(source, text, lineNo);
    Object value = readValueFrom(p, fieldStart[3]);
    return new Op(0, Op.NO_TIME, process, type, f, null, Values.normalize(value), null, null);
  }

  private static Object readValueFrom(EdnParser p, int offset) {
    p.skipTo(offset);
    if (p.atEnd()) {
      return null;
    }
    Object v = p.readValue();
    if (!p.atEnd()) {
      throw p.fail("end of line after the value", "more text");
    }
    return v;
  }
}
