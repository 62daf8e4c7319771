package dev.faultline.histories;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operations on op values: normalising Java objects into the value types {@link Op} allows, and
 * showing them.
 */
public final class Values {
  private Values() {}

  /**
   * Returns the value in normal form: integers as {@link Long} (or {@link BigInteger} when too
   * large), other numbers as {@link Double}, lists and maps unmodifiable. Throws when the object is
   * of no value type.
   */
  public static Object normalize(Object v) {
    if (v == null
        || v instanceof String
        || v instanceof Long
        || v instanceof Boolean
        || v instanceof Double
        || v instanceof Keyword) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger big) {
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    if (v instanceof Float fl) {
      return fl.doubleValue();
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(normalize(o));
      }
      return Collections.unmodifiableList(out);
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object k = e.getKey();
        String name = k instanceof Keyword kw ? kw.name() : String.valueOf(k);
        out.put(name, normalize(e.getValue()));
      }
      return Collections.unmodifiableMap(out);
    }
    throw new IllegalArgumentException("not a history value: " + v.getClass().getName());
  }

  /** A compact human form: {@code nil}, {@code 3}, {@code "x"}, {@code [1 2]}, {@code {a 1}}. */
  public static String show(Object v) {
    StringBuilder b = new StringBuilder();
    show(v, b);
    return b.toString();
  }

  private static void show(Object v, StringBuilder b) {
    if (v == null) {
      b.append("nil");
    } else if (v instanceof String s) {
      b.append('"').append(s).append('"');
    } else if (v instanceof List<?> list) {
      b.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          b.append(' ');
        }
        show(list.get(i), b);
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
        b.append(e.getKey()).append(' ');
        show(e.getValue(), b);
      }
      b.append('}');
    } else {
      b.append(v);
    }
  }
}
