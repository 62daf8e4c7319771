package dev.faultline.histories.format;

import dev.faultline.histories.Keyword;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.histories.Values;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Turns one EDN op map ({@code {:process 0, :type :invoke, :f :read, :value nil}}) into an {@link
 * Op}, reporting a bad field at the position of its value. Unknown keys are ignored; {@code :index}
 * is ignored because histories are re-indexed densely.
 */
final class EdnOpDecoder {
  private static final Keyword PROCESS = new Keyword("process");
  private static final Keyword TYPE = new Keyword("type");
  private static final Keyword F = new Keyword("f");
  private static final Keyword VALUE = new Keyword("value");
  private static final Keyword TIME = new Keyword("time");
  private static final Keyword KEY = new Keyword("key");
  private static final Keyword NODE = new Keyword("node");
  private static final Keyword ERROR = new Keyword("error");
  private static final Keyword NEMESIS = new Keyword("nemesis");

  private EdnOpDecoder() {}

  /**
   * Decodes a map read with positions; {@code mapPosition} is where the map began, used when a
   * required key is missing.
   */
  static Op decode(
      EdnParser p,
      Map<Object, Object> m,
      Map<Object, Long> positions,
      long mapPosition,
      boolean unwrapTuples) {
    long process = process(p, m, positions, mapPosition);
    Object rawType = require(p, m, TYPE, mapPosition, ":type");
    OpType type = rawType instanceof Keyword k ? OpType.fromWire(k.name()) : null;
    if (type == null && rawType instanceof String s) {
      type = OpType.fromWire(s);
    }
    if (type == null) {
      throw p.failAt(
          positions.get(TYPE),
          ":type to be one of :invoke, :ok, :fail, :info",
          Values.show(rawType));
    }
    Object rawF = require(p, m, F, mapPosition, ":f");
    String f = name(rawF);
    if (f == null) {
      throw p.failAt(positions.get(F), ":f to be a keyword or string", Values.show(rawF));
    }
    long time = Op.NO_TIME;
    Object rawTime = m.get(TIME);
    if (rawTime != null) {
      if (!(rawTime instanceof Long t) || t < 0) {
        throw p.failAt(
            positions.get(TIME), ":time to be a non-negative integer", Values.show(rawTime));
      }
      time = t;
    }
    Object key = m.containsKey(KEY) ? Values.normalize(m.get(KEY)) : null;
    Object value = Values.normalize(m.get(VALUE));
    if (key != null && unwrapTuples && value instanceof List<?> t && isTupleOf(key, t)) {
      // Faultline's own EDN: the key both as :key and as the tuple Jepsen reads.
      value = t.get(1);
    }
    String node = m.get(NODE) == null ? null : text(m.get(NODE));
    String error = m.get(ERROR) == null ? null : text(m.get(ERROR));
    return new Op(0, time, process, type, Names.intern(f), key, value, node, error);
  }

  private static boolean isTupleOf(Object key, List<?> t) {
    return t.size() == 2 && key.equals(t.get(0));
  }

  /** True when the map carries a {@code :key} field. */
  static boolean hasKey(Map<Object, Object> m) {
    return m.containsKey(KEY);
  }

  private static long process(
      EdnParser p, Map<Object, Object> m, Map<Object, Long> positions, long mapPosition) {
    Object raw = require(p, m, PROCESS, mapPosition, ":process");
    if (raw instanceof Long l && l >= 0) {
      return l;
    }
    if (NEMESIS.equals(raw) || "nemesis".equals(raw)) {
      return Op.NEMESIS;
    }
    throw p.failAt(
        positions.get(PROCESS), ":process to be an integer >= 0 or :nemesis", Values.show(raw));
  }

  private static Object require(
      EdnParser p, Map<Object, Object> m, Keyword key, long mapPosition, String what) {
    if (!m.containsKey(key)) {
      throw p.failAt(mapPosition, "an op map with " + what, "a map without it");
    }
    return m.get(key);
  }

  private static String name(Object v) {
    if (v instanceof Keyword k) {
      return k.name();
    }
    return v instanceof String s ? s : null;
  }

  /** A field meant as text: keywords by name, strings as they are, anything else as EDN. */
  static String text(Object v) {
    if (v instanceof Keyword k) {
      return k.name();
    }
    if (v instanceof String s) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    EdnWriter.appendValue(Values.normalize(v), b);
    return b.toString();
  }

  /**
   * True when the client ops are Jepsen independent tuples: every client op's value is a
   * two-element vector whose first element is a key (integer or string), and every cas carries a
   * vector as its second element (so a plain register's {@code [old new]} cas is not mistaken).
   */
  static boolean isIndependent(List<Op> ops) {
    boolean anyClient = false;
    for (Op op : ops) {
      if (op.isNemesis()) {
        continue;
      }
      anyClient = true;
      if (op.key() != null || !looksLikeTuple(op.f(), op.value())) {
        return false;
      }
    }
    return anyClient;
  }

  /**
   * True when a client op's value could be an independent tuple {@code [k v]}: a two-element vector
   * whose first element is an integer or a string, and for a cas, whose second is a vector.
   */
  static boolean looksLikeTuple(String f, Object value) {
    if (!(value instanceof List<?> l) || l.size() != 2) {
      return false;
    }
    Object k = l.get(0);
    if (!(k instanceof Long || k instanceof String || k instanceof BigInteger)) {
      return false;
    }
    return !f.equals("cas") || l.get(1) instanceof List<?>;
  }

  /** Splits an independent tuple {@code [k v]} into key k and value v. */
  static Op splitTuple(Op op) {
    if (op.isNemesis()) {
      return op;
    }
    List<?> l = (List<?>) op.value();
    return new Op(
        op.index(),
        op.time(),
        op.process(),
        op.type(),
        op.f(),
        l.get(0),
        l.get(1),
        op.node(),
        op.error());
  }
}
