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
 * {@code jepsen.log}; other log lines are skipped. An {@code :info} completion whose value is a
 * keyword (such as {@code :timed-out}) is a reason, not a value: it becomes the op's {@code error}
 * and the value is its invocation's.
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
    // Fields are tab-separated: process, type, f, value (the value may itself hold tabs).
    int[] fieldStart = new int[4];
    int field = 0;
    fieldStart[0] = start;
    for (int i = start; i < text.length() && field < 3; i++) {
      if (text.charAt(i) == '\t') {
        fieldStart[++field] = i + 1;
      }
    }
    if (field < 3) {
      throw HistoryFormatException.expected(
          source,
          lineNo,
          text.length() + 1,
          "four tab-separated fields (process, type, f, value)",
          (field + 1) + " field" + (field == 0 ? "" : "s"));
    }
    String proc = text.substring(fieldStart[0], fieldStart[1] - 1).strip();
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
    String typeText = text.substring(fieldStart[1], fieldStart[2] - 1).strip();
    OpType type = typeText.startsWith(":") ? OpType.fromWire(typeText.substring(1)) : null;
    if (type == null) {
      throw HistoryFormatException.expected(
          source,
          lineNo,
          fieldStart[1] + 1,
          "a type :invoke, :ok, :fail or :info",
          "`" + typeText + "`");
    }
    String fText = text.substring(fieldStart[2], fieldStart[3] - 1).strip();
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
