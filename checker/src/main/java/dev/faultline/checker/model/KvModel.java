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
 */
public final class KvModel implements Model<KvModel.State, KvModel.Input> {

  /** What one call does: the key's slot, and the values the kind needs. */
  public record Input(Kind kind, int slot, Object key, Object value, Object newValue) {}

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

  /** An immutable assignment of values to key slots (null = absent), with its hash cached. */
  public static final class State {
    private final Object[] values;
    private final int hash;

    State(Object[] values) {
      this.values = values;
      this.hash = Arrays.hashCode(values);
    }

    Object get(int slot) {
      return values[slot];
    }

    State with(int slot, Object value) {
      Object[] copy = values.clone();
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

  private final Map<Object, Integer> slots = new HashMap<>();
  private final List<Object> keys = new ArrayList<>();

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
    return new State(new Object[keys.size()]);
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
    return switch (kind) {
      case READ, GET -> new Input(kind, slot, key, call.completion().value(), null);
      case PUT -> new Input(kind, slot, key, call.invoke().value(), null);
      case APPEND -> new Input(kind, slot, key, CallValues.string(call), null);
      case DELETE -> new Input(kind, slot, key, null, null);
      case CAS -> {
        List<?> pair = CallValues.pair(call);
        yield new Input(kind, slot, key, pair.get(0), pair.get(1));
      }
    };
  }

  @Override
  public State step(State state, Input in) {
    Object current = state.get(in.slot);
    switch (in.kind) {
      case READ:
        return eq(current, in.value) ? state : null;
      case GET:
        return eq(current == null ? "" : current, in.value) ? state : null;
      case PUT:
        return eq(current, in.value) ? state : state.with(in.slot, in.value);
      case APPEND:
        String base = current == null ? "" : current.toString();
        return state.with(in.slot, base.concat((String) in.value));
      case DELETE:
        return current == null ? state : state.with(in.slot, null);
      case CAS:
        return eq(current, in.value) ? state.with(in.slot, in.newValue) : null;
      default:
        throw new IllegalStateException(in.kind.name());
    }
  }

  private static boolean eq(Object a, Object b) {
    return a == null ? b == null : a.equals(b);
  }

  @Override
  public String whyIllegal(State state, Input in) {
    Object current = state.get(in.slot);
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
      case APPEND -> "append " + k + " " + show(in.value);
      case DELETE -> "delete " + k;
      case CAS -> "cas " + k + " " + show(in.value) + "→" + show(in.newValue);
    };
  }

  @Override
  public String describeState(State state) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < keys.size() && i < state.values.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(Values.show(keys.get(i))).append(' ').append(show(state.values[i]));
    }
    return b.append('}').toString();
  }

  private static String show(Object v) {
    return v == null ? "absent" : Values.show(v);
  }
}
