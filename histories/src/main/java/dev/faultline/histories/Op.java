package dev.faultline.histories;

import java.util.Objects;

/**
 * One line of a history: an invocation or a completion by one process.
 *
 * <p>Values are plain typed Java values: {@code null}, {@link Boolean}, {@link Long}, {@link
 * java.math.BigInteger} (integers beyond a long), {@link Double}, {@link String}, {@link Keyword},
 * an unmodifiable {@link java.util.List} of values, or an unmodifiable insertion-ordered {@link
 * java.util.Map} from String to value. Two values are equal when they are equal as Java objects.
 *
 * @param index dense position in the history, from 0 in file order
 * @param time nanoseconds since the run began (monotonic), or {@link #NO_TIME} when the source had
 *     none
 * @param process the client process id, or {@link #NEMESIS} for fault events
 * @param type invocation or completion kind
 * @param f the function: read, write, cas, delete, add, append, get, put, or a nemesis action
 * @param key the key for multi-key histories ({@link String} or {@link Long}), or null for one
 *     register
 * @param value the op's value, as described above
 * @param node the node that answered, or null
 * @param error a short machine-readable reason, or null
 */
public record Op(
    int index,
    long time,
    long process,
    OpType type,
    String f,
    Object key,
    Object value,
    String node,
    String error) {

  /** The process id of nemesis events; written as {@code "nemesis"} in every format. */
  public static final long NEMESIS = -1;

  /** The time of an op whose source recorded none. */
  public static final long NO_TIME = -1;

  public Op {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
  }

  /** A client op with no key, node or error. */
  public static Op of(int index, long time, long process, OpType type, String f, Object value) {
    return new Op(index, time, process, type, f, null, value, null, null);
  }

  public boolean isNemesis() {
    return process == NEMESIS;
  }

  public boolean isInvoke() {
    return type == OpType.INVOKE;
  }

  public boolean hasTime() {
    return time != NO_TIME;
  }

  public Op withIndex(int newIndex) {
    return new Op(newIndex, time, process, type, f, key, value, node, error);
  }

  public Op withValue(Object newValue) {
    return new Op(index, time, process, type, f, key, newValue, node, error);
  }

  public Op withKey(Object newKey) {
    return new Op(index, time, process, type, f, newKey, value, node, error);
  }

  /** A short human form, e.g. {@code 3 ok cas k7 [1 2]}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append('#').append(index).append(' ');
    b.append(isNemesis() ? "nemesis" : Long.toString(process)).append(' ');
    b.append(type.wireName()).append(' ').append(f);
    if (key != null) {
      b.append(' ').append(Values.show(key));
    }
    b.append(' ').append(Values.show(value));
    if (error != null) {
      b.append(" (").append(error).append(')');
    }
    return b.toString();
  }
}
