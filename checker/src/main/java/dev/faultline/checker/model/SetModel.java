package dev.faultline.checker.model;

import dev.faultline.histories.Call;
import dev.faultline.histories.Values;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A set that starts empty: {@code add v} inserts v, {@code read} returns the whole set (a list in
 * the history, order ignored). State: an immutable set with its hash cached.
 */
public final class SetModel implements Model<SetModel.State, SetModel.Input> {

  /** An add of {@code element}, or a read that saw {@code seen}. */
  public record Input(boolean add, Object element, Set<Object> seen) {}

  /** An immutable set of elements. */
  public static final class State {
    private final Set<Object> elements;
    private final int hash;

    State(Set<Object> elements) {
      this.elements = elements;
      this.hash = elements.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s && s.hash == hash && s.elements.equals(elements);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  public static SetModel create() {
    return new SetModel();
  }

  @Override
  public String name() {
    return "set";
  }

  @Override
  public State initialState() {
    return new State(Set.of());
  }

  @Override
  public Input input(Call call) {
    switch (call.f()) {
      case "add":
        return new Input(true, call.invoke().value(), null);
      case "read":
        if (call.isIndeterminate()) {
          return null;
        }
        Object v = call.completion().value();
        if (!(v instanceof Collection<?> c)) {
          throw new IllegalArgumentException(
              "op #"
                  + call.completion().index()
                  + ": a set read must return a list of elements, found "
                  + Values.show(v)
                  + "; fix the history");
        }
        return new Input(false, null, Set.copyOf(new HashSet<>(c)));
      default:
        throw new UnsupportedModelException(
            "op #"
                + call.invoke().index()
                + ": the set model has no '"
                + call.f()
                + "' (it knows add, read); choose another --model");
    }
  }

  @Override
  public State step(State state, Input in) {
    if (!in.add) {
      return state.elements.equals(in.seen) ? state : null;
    }
    if (state.elements.contains(in.element)) {
      return state;
    }
    Set<Object> next = new HashSet<>(state.elements);
    next.add(in.element);
    return new State(Set.copyOf(next));
  }

  @Override
  public boolean isReadOnly(Input in) {
    return !in.add;
  }

  @Override
  public String whyIllegal(State state, Input in) {
    if (in.add) {
      return "an add is always possible";
    }
    Set<Object> missing = new HashSet<>(state.elements);
    missing.removeAll(in.seen);
    Set<Object> extra = new HashSet<>(in.seen);
    extra.removeAll(state.elements);
    StringBuilder b = new StringBuilder("read " + show(in.seen) + ", but the set holds ");
    b.append(show(state.elements));
    if (!missing.isEmpty()) {
      b.append(" (missing ").append(show(missing)).append(')');
    }
    if (!extra.isEmpty()) {
      b.append(" (never added at this point: ").append(show(extra)).append(')');
    }
    return b.toString();
  }

  @Override
  public String describeInput(Input in) {
    return in.add ? "add " + Values.show(in.element) : "read " + show(in.seen);
  }

  @Override
  public String describeState(State state) {
    return show(state.elements);
  }

  private static String show(Set<Object> s) {
    List<String> parts = s.stream().map(Values::show).sorted().toList();
    return "#{" + String.join(" ", parts) + "}";
  }
}
