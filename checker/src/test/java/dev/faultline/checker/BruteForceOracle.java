package dev.faultline.checker;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides linearizability of a small kv history by trying every order of its ops consistent with
 * real time, on a plain map (or a plain set, for add/read histories; strings for append/get): no
 * memo, no partitioning, no shared code with the checker's models. Ok ops must all be placed; info
 * and pending ops may be placed after their invocation or left out; failed ops and indeterminate
 * reads are left out.
 */
final class BruteForceOracle {
  private final List<Call> calls = new ArrayList<>();
  private final boolean[] required;
  private final long[] invoked;
  private final long[] completed;

  BruteForceOracle(History h) {
    for (Call c : h.calls()) {
      if (c.outcome() == Call.Outcome.FAIL) {
        continue;
      }
      if ((c.f().equals("read") || c.f().equals("get")) && c.isIndeterminate()) {
        continue;
      }
      calls.add(c);
    }
    int n = calls.size();
    required = new boolean[n];
    invoked = new long[n];
    completed = new long[n];
    for (int i = 0; i < n; i++) {
      Call c = calls.get(i);
      required[i] = !c.isIndeterminate();
      invoked[i] = c.invoke().index();
      completed[i] = required[i] ? c.completion().index() : Long.MAX_VALUE;
    }
  }

  boolean linearizable() {
    return search(new boolean[calls.size()], new HashMap<>());
  }

  private boolean search(boolean[] placed, Map<Object, Object> state) {
    boolean done = true;
    for (int i = 0; i < placed.length; i++) {
      if (required[i] && !placed[i]) {
        done = false;
        break;
      }
    }
    if (done) {
      return true;
    }
    for (int i = 0; i < placed.length; i++) {
      if (placed[i] || !mayGoNext(i, placed)) {
        continue;
      }
      Map<Object, Object> next = apply(state, calls.get(i));
      if (next == null) {
        continue;
      }
      placed[i] = true;
      boolean ok = search(placed, next);
      placed[i] = false;
      if (ok) {
        return true;
      }
    }
    return false;
  }

  // An op may go next unless some unplaced ok op completed before it was invoked.
  private boolean mayGoNext(int i, boolean[] placed) {
    for (int j = 0; j < placed.length; j++) {
      if (!placed[j] && j != i && required[j] && completed[j] < invoked[i]) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> apply(Map<Object, Object> state, Call c) {
    Object key = c.key();
    Object current = state.get(key);
    Map<Object, Object> next = new HashMap<>(state);
    switch (c.f()) {
      case "add":
        java.util.Set<Object> grown = new java.util.HashSet<>();
        if (current != null) {
          grown.addAll((java.util.Set<?>) current);
        }
        grown.add(c.invoke().value());
        next.put(key, grown);
        return next;
      case "read":
        if (c.completion().value() instanceof List<?> seen) {
          java.util.Set<Object> have =
              current == null ? java.util.Set.of() : (java.util.Set<Object>) current;
          return have.equals(new java.util.HashSet<>(seen)) ? state : null;
        }
        return Objects.equals(current, c.completion().value()) ? state : null;
      case "write", "put":
        next.put(key, c.invoke().value());
        return next;
      case "get":
        return Objects.equals(current == null ? "" : current, c.completion().value())
            ? state
            : null;
      case "append":
        next.put(key, (current == null ? "" : (String) current) + c.invoke().value());
        return next;
      case "delete":
        next.remove(key);
        return next;
      case "cas":
        List<?> pair = (List<?>) c.invoke().value();
        if (!Objects.equals(current, pair.get(0))) {
          return null;
        }
        next.put(key, pair.get(1));
        return next;
      default:
        throw new IllegalArgumentException(c.f());
    }
  }
}
