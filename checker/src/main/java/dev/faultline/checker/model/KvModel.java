package dev.faultline.checker.model;

import dev.faultline.histories.Call;
import dev.faultline.histories.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A map from keys to values, every key starting absent. Covers Faultline's store ({@code read},
 * {@code write}, {@code delete}, {@code cas [expected new]} with {@code null} meaning absent) and
 * Porcupine's kv data ({@code get}, {@code put}, {@code append}; a get of a missing key returns the
 * empty string and an append to a missing key starts from it). The state is one value slot per key
 * seen in the partition, so a partition with one key costs no more than a register.
 *
 * <p>Values are interned per partition: a state is an {@code int[]} of value ids, so comparing and
 * hashing states never walks a string, and an append is computed once per (value, suffix) pair. An
 * instance is therefore not shared between threads: the checker takes one per partition through
 * {@link #forPartition}.
 */
public final class KvModel implements Model<KvModel.State, KvModel.Input> {

  /**
   * What one call does: the key's slot, the key, and the ids of the values the kind needs (the
   * value read or written, a cas's expected value, a cas's new value or an append's suffix).
   */
  public record Input(Kind kind, int slot, Object key, int value, int newValue) {}

  /** The map's operations. */
  public enum Kind {
    /** {@code read}: returns the value, null when absent. */
    READ,
    /** {@code get}: returns the value, "" when absent. */
    GET,
    PUT,
    APPEND,
    DELETE,
    CAS
  }

  /** An immutable assignment of value ids to key slots ({@link #ABSENT} = absent), hash cached. */
  public static final class State {
    private final int[] values;
    private final int hash;

    State(int[] values) {
      this.values = values;
      this.hash = Arrays.hashCode(values);
    }

    State with(int slot, int value) {
      int[] copy = values.clone();
      copy[slot] = value;
      return new State(copy);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s && s.hash == hash && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static final int ABSENT = 0;

  private final Map<Object, Integer> slots = new HashMap<>();
  private final List<Object> keys = new ArrayList<>();
  private final Map<Object, Integer> ids = new HashMap<>();
  private final List<Object> values = new ArrayList<>();
  private final Map<Long, Integer> appends = new HashMap<>();
  // Slots some op other than an append or a read changes: their values may shrink or change.
  private final java.util.BitSet rewritten = new java.util.BitSet();
  // (value id, read value id) -> whether the read's value extends the value.
  private final Map<Long, Boolean> extendsCache = new HashMap<>();
  private final int empty;

  private KvModel() {
    values.add(null);
    empty = id("");
  }

  public static KvModel create() {
    return new KvModel();
  }

  @Override
  public String name() {
    return "kv";
  }

  @Override
  public Model<State, Input> forPartition() {
    return new KvModel();
  }

  @Override
  public boolean perKey() {
    return false;
  }

  /** Every input must have been made before this is asked: it sizes the state to the keys seen. */
  @Override
  public State initialState() {
    return new State(new int[keys.size()]);
  }

  private int id(Object value) {
    if (value == null) {
      return ABSENT;
    }
    Integer known = ids.get(value);
    if (known != null) {
      return known;
    }
    int id = values.size();
    values.add(value);
    ids.put(value, id);
    return id;
  }

  @Override
  public Input input(Call call) {
    Object key = call.key();
    Kind kind =
        switch (call.f()) {
          case "read" -> Kind.READ;
          case "get" -> Kind.GET;
          case "write", "put" -> Kind.PUT;
          case "append" -> Kind.APPEND;
          case "delete" -> Kind.DELETE;
          case "cas" -> Kind.CAS;
          default ->
              throw new UnsupportedModelException(
                  "op #"
                      + call.invoke().index()
                      + ": the kv model has no '"
                      + call.f()
                      + "' (it knows read/get, write/put, append, delete, cas); choose another --model");
        };
    if ((kind == Kind.READ || kind == Kind.GET) && call.isIndeterminate()) {
      return null;
    }
    int slot = slots.computeIfAbsent(key, k -> slots.size());
    if (slot == keys.size()) {
      keys.add(key);
    }
    if (kind == Kind.PUT || kind == Kind.DELETE || kind == Kind.CAS) {
      rewritten.set(slot);
    }
    return switch (kind) {
      case READ, GET -> new Input(kind, slot, key, id(call.completion().value()), ABSENT);
      case PUT -> new Input(kind, slot, key, id(call.invoke().value()), ABSENT);
      case APPEND -> new Input(kind, slot, key, ABSENT, id(CallValues.string(call)));
      case DELETE -> new Input(kind, slot, key, ABSENT, ABSENT);
      case CAS -> {
        List<?> pair = CallValues.pair(call);
        yield new Input(kind, slot, key, id(pair.get(0)), id(pair.get(1)));
      }
    };
  }

  @Override
  public State step(State state, Input in) {
    int current = state.values[in.slot];
    switch (in.kind) {
      case READ:
        return current == in.value ? state : null;
      case GET:
        return (current == ABSENT ? empty : current) == in.value ? state : null;
      case PUT:
        return current == in.value ? state : state.with(in.slot, in.value);
      case APPEND:
        return state.with(in.slot, appended(current == ABSENT ? empty : current, in.newValue));
      case DELETE:
        return current == ABSENT ? state : state.with(in.slot, ABSENT);
      case CAS:
        return current == in.value ? state.with(in.slot, in.newValue) : null;
      default:
        throw new IllegalStateException(in.kind.name());
    }
  }

  private int appended(int base, int suffix) {
    long pair = ((long) base << 32) | (suffix & 0xFFFFFFFFL);
    Integer known = appends.get(pair);
    if (known != null) {
      return known;
    }
    int id = id(String.valueOf(values.get(base)).concat(String.valueOf(values.get(suffix))));
    appends.put(pair, id);
    return id;
  }

  /**
   * On a key that is only ever appended to, a value only grows: a read can still be satisfied only
   * while the current value is a prefix of what it returned. (Every input is made before the search
   * asks, so the set of rewritten keys is complete by then.)
   */
  @Override
  public boolean canStillBeRead(State state, Input read) {
    if (rewritten.get(read.slot)) {
      return true;
    }
    int current = state.values[read.slot];
    if (current == ABSENT) {
      return true;
    }
    if (read.value == ABSENT) {
      return false;
    }
    long pair = ((long) current << 32) | (read.value & 0xFFFFFFFFL);
    Boolean known = extendsCache.get(pair);
    if (known == null) {
      known =
          String.valueOf(values.get(read.value)).startsWith(String.valueOf(values.get(current)));
      extendsCache.put(pair, known);
    }
    return known;
  }

  @Override
  public boolean isReadOnly(Input in) {
    return in.kind == Kind.READ || in.kind == Kind.GET;
  }

  @Override
  public String whyIllegal(State state, Input in) {
    int current = state.values[in.slot];
    String holds = "key " + Values.show(in.key) + " holds " + show(current);
    return switch (in.kind) {
      case READ, GET ->
          in.kind.name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + show(in.value)
              + ", but "
              + holds;
      case CAS -> "cas expects " + show(in.value) + ", but " + holds;
      default -> in.kind.name().toLowerCase(java.util.Locale.ROOT) + " is always possible";
    };
  }

  @Override
  public String describeInput(Input in) {
    String k = Values.show(in.key);
    return switch (in.kind) {
      case READ -> "read " + k + " " + show(in.value);
      case GET -> "get " + k + " " + show(in.value);
      case PUT -> "put " + k + " " + show(in.value);
      case APPEND -> "append " + k + " " + show(in.newValue);
      case DELETE -> "delete " + k;
      case CAS -> "cas " + k + " " + show(in.value) + "→" + show(in.newValue);
    };
  }

  @Override
  public String describeState(State state) {
    return describeState(state, Integer.MAX_VALUE);
  }

  @Override
  public String describeState(State state, int maxChars) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < keys.size() && i < state.values.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      if (b.length() > maxChars) {
        break;
      }
      b.append(Values.show(keys.get(i))).append(' ');
      int id = state.values[i];
      Object v = id == ABSENT ? null : values.get(id);
      // Cut a long value before showing it, so that a long string costs no more than the cut.
      if (v instanceof String str && str.length() > maxChars) {
        b.append(Values.show(str.substring(0, maxChars)));
      } else {
        b.append(show(id));
      }
    }
    b.append('}');
    return b.length() <= maxChars ? b.toString() : b.substring(0, maxChars) + "…";
  }

  private String show(int id) {
    return id == ABSENT ? "absent" : Values.show(values.get(id));
  }
}
