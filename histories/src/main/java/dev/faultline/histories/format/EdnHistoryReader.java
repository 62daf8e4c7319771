package dev.faultline.histories.format;

import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Jepsen EDN histories: a whole-file vector (or list) of op maps (Knossos's files, which may
 * span lines and carry comments) or one op map per line (Jepsen's {@code history.edn}, Porcupine's
 * kv data). All ops are read before pairing, because whether {@code :value [k v]} is an independent
 * key and value is a property of the whole history.
 */
final class EdnHistoryReader {
  private final String source;
  private final boolean requireKey;
  private final List<Op> ops = new ArrayList<>();
  private final List<Long> positions = new ArrayList<>();
  private boolean explicitKeys;

  /**
   * @param requireKey true for Porcupine kv, where every op must name its {@code :key}
   */
  EdnHistoryReader(String source, boolean requireKey) {
    this.source = source;
    this.requireKey = requireKey;
  }

  History read(BufferedReader in) throws IOException {
    in.mark(1 << 16);
    int first = firstSignificant(in);
    in.reset();
    if (first == '[' || first == '(') {
      readWholeVector(in, first == '[' ? ']' : ')');
    } else {
      readLines(in);
    }
    // Ops that name their key (even as nil) were not written as bare independent tuples.
    boolean independent = !requireKey && !explicitKeys && EdnOpDecoder.isIndependent(ops);
    HistoryPairing pairing = new HistoryPairing(source);
    for (int i = 0; i < ops.size(); i++) {
      Op op = independent ? EdnOpDecoder.splitTuple(ops.get(i)) : ops.get(i);
      long at = positions.get(i);
      pairing.add(op, (int) (at >>> 32), (int) at);
    }
    return pairing.build();
  }

  private static int firstSignificant(BufferedReader in) throws IOException {
    boolean comment = false;
    for (int i = 0; i < (1 << 16) - 1; i++) {
      int c = in.read();
      if (c < 0) {
        return -1;
      }
      if (comment) {
        comment = c != '\n';
      } else if (c == ';') {
        comment = true;
      } else if (!Character.isWhitespace(c) && c != ',') {
        return c;
      }
    }
    return -1;
  }

  private void readWholeVector(BufferedReader in, char close) throws IOException {
    StringBuilder all = new StringBuilder();
    char[] buf = new char[1 << 16];
    int n;
    while ((n = in.read(buf)) > 0) {
      all.append(buf, 0, n);
    }
    EdnParser p = new EdnParser(source, all.toString(), 1);
    p.peek();
    int openLine = p.line();
    int openCol = p.column();
    p.consume();
    while (true) {
      int c = p.peek();
      if (c < 0) {
        throw p.fail(
            "'" + close + "' closing the history opened at " + openLine + ":" + openCol,
            "end of input");
      }
      if (c == close) {
        p.consume();
        break;
      }
      readOpMap(p);
    }
    if (!p.atEnd()) {
      throw p.fail("end of input after the history", "more text");
    }
  }

  private void readLines(BufferedReader in) throws IOException {
    String text;
    int lineNo = 0;
    while ((text = in.readLine()) != null) {
      lineNo++;
      EdnParser p = new EdnParser(source, text, lineNo);
      while (!p.atEnd()) {
        readOpMap(p);
      }
    }
  }

  private void readOpMap(EdnParser p) {
    int c = p.peek();
    long at = p.position();
    if (c != '{') {
      Object v = p.readValue();
      throw p.failAt(at, "an op map", EdnOpDecoder.text(v));
    }
    p.consume();
    Map<Object, Object> m = new LinkedHashMap<>();
    Map<Object, Long> where = new HashMap<>();
    p.readMapBody(m, where, (int) (at >>> 32), (int) at);
    boolean hasKey = EdnOpDecoder.hasKey(m);
    if (requireKey && !hasKey) {
      throw p.failAt(at, "a Porcupine kv op with :key", "a map without it");
    }
    explicitKeys |= hasKey;
    ops.add(EdnOpDecoder.decode(p, m, where, at, !requireKey));
    positions.add(at);
  }
}
