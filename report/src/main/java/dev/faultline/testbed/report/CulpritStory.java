package dev.faultline.testbed.report;

import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.histories.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tells a counterexample in the order a person reasons about it: the write that was acknowledged
 * before the read began, the value (or values, when other writes were still in flight) the read
 * should therefore have returned, what it returned instead, which node answered, and, when a fault
 * was in force on that node, what the fault did to it (a node cut off from a majority answering is
 * an old leader that no longer leads).
 *
 * <p>A write-like op is a {@code write}, {@code put}, {@code cas} (its new value) or {@code delete}
 * (absent). Appends and set adds are not replayed here: for them the checker's states are told.
 */
final class CulpritStory {
  private CulpritStory() {}

  /** How many other possible writes a story names before it only counts the rest. */
  private static final int MAX_NAMED = 3;

  /** One call: its invocation and, when it has one, its completion. */
  private record Call(Op invoke, Op completion) {
    boolean acknowledged() {
      return completion != null && completion.type() == OpType.OK;
    }

    boolean certainlyFailed() {
      return completion != null && completion.type() == OpType.FAIL;
    }

    /** The value a write-like call leaves in the key. */
    Object written() {
      Object v = invoke.value();
      if (invoke.f().equals("delete")) {
        return null;
      }
      if (invoke.f().equals("cas") && v instanceof List<?> l && l.size() == 2) {
        return l.get(1);
      }
      return v;
    }
  }

  /**
   * The story of a read that returned what no order allows, or null when {@code invoke} is not an
   * acknowledged read of a register-like key (the caller then tells the generic story).
   *
   * @param states the states the checker says the key could have been in just before the culprit
   */
  static String ofRead(History history, Op invoke, Op completion, List<String> states) {
    if (!(invoke.f().equals("read") || invoke.f().equals("get"))
        || completion == null
        || completion.type() != OpType.OK) {
      return null;
    }
    List<Call> writes = writesOf(history, invoke.key());
    if (writes.stream().anyMatch(c -> c.invoke.f().equals("append"))) {
      return null;
    }
    Call last = null;
    for (Call w : writes) {
      if (w.acknowledged()
          && w.completion.index() < invoke.index()
          && (last == null || w.completion.index() > last.completion.index())) {
        last = w;
      }
    }
    // Writes that could still be the newest when the read took effect: not certainly failed,
    // invoked before the read completed, and not certainly overwritten before the read began (one
    // acknowledged before the last acknowledged write was even invoked is).
    Map<String, Call> inFlight = new LinkedHashMap<>();
    for (Call w : writes) {
      if (w == last || w.certainlyFailed() || w.invoke.index() > completion.index()) {
        continue;
      }
      boolean overwritten =
          w.acknowledged()
              && w.completion.index() < invoke.index()
              && last != null
              && w.completion.index() < last.invoke.index();
      if (!overwritten) {
        inFlight.putIfAbsent(Values.show(w.written()), w);
      }
    }
    String key = invoke.key() == null ? "the register" : "key " + Values.show(invoke.key());
    StringBuilder b = new StringBuilder();
    List<String> expected = new ArrayList<>();
    if (last != null) {
      expected.add(Values.show(last.written()));
      b.append("The ")
          .append(describeWrite(last))
          .append(" to ")
          .append(key)
          .append(" (op #")
          .append(last.invoke.index())
          .append(", process ")
          .append(last.invoke.process())
          .append(") was acknowledged")
          .append(last.completion.node() == null ? "" : " by " + last.completion.node())
          .append(" before the read began");
    } else {
      expected.add(Values.show(null));
      b.append("No write to ").append(key).append(" had been acknowledged before the read began");
    }
    List<String> others = new ArrayList<>();
    for (Call w : inFlight.values()) {
      String v = Values.show(w.written());
      if (!expected.contains(v)) {
        expected.add(v);
        others.add(describeWrite(w) + " (op #" + w.invoke.index() + ")");
      }
    }
    if (others.isEmpty()) {
      b.append(", so the read should have returned ").append(expected.get(0));
    } else {
      // Writes with an unknown outcome may take effect at any later time, so a long run can
      // leave many; the first few are named and the rest counted.
      List<String> named = others.size() <= MAX_NAMED ? others : others.subList(0, MAX_NAMED);
      b.append("; ")
          .append(String.join(", ", named))
          .append(
              others.size() > named.size()
                  ? " and " + (others.size() - named.size()) + " more writes"
                  : "")
          .append(" may also have taken effect by then")
          .append(", so the read should have returned one of ")
          .append(
              expected.size() <= MAX_NAMED + 1
                  ? String.join(", ", expected)
                  : String.join(", ", expected.subList(0, MAX_NAMED + 1))
                      + " (or "
                      + (expected.size() - MAX_NAMED - 1)
                      + " other values)");
    }
    b.append(". It returned ")
        .append(Values.show(completion.value()))
        .append(" instead (the read is op #")
        .append(invoke.index())
        .append(" by process ")
        .append(invoke.process())
        .append(", completed at #")
        .append(completion.index())
        .append(completion.node() == null ? "" : ", answered by " + completion.node())
        .append(").");
    String fault = faultOn(history, completion);
    if (fault != null) {
      b.append(' ').append(fault);
    }
    if (!states.isEmpty()) {
      b.append(" The checker's search agrees: just before this read the key could only have held ")
          .append(String.join(" or ", states))
          .append('.');
    }
    return b.toString();
  }

  private static String describeWrite(Call w) {
    return switch (w.invoke.f()) {
      case "delete" -> "delete";
      case "cas" -> "cas to " + Values.show(w.written());
      default -> w.invoke.f() + " of " + Values.show(w.written());
    };
  }

  /** Every write-like call on {@code key}, paired with its completion, in invocation order. */
  private static List<Call> writesOf(History history, Object key) {
    List<Call> calls = new ArrayList<>();
    Map<Long, Integer> open = new HashMap<>();
    for (Op op : history.ops()) {
      if (op.isNemesis() || !Objects.equals(op.key(), key)) {
        continue;
      }
      switch (op.f()) {
        case "write", "put", "cas", "delete", "append" -> {}
        default -> {
          continue;
        }
      }
      if (op.isInvoke()) {
        open.put(op.process(), calls.size());
        calls.add(new Call(op, null));
      } else {
        Integer at = open.remove(op.process());
        if (at != null) {
          calls.set(at, new Call(calls.get(at).invoke, op));
        }
      }
    }
    return calls;
  }

  /**
   * What a fault in force when the read completed did to the node that answered it, or null when
   * none touched it. A partition's event value holds its grudge: who cannot hear whom.
   */
  static String faultOn(History history, Op completion) {
    String node = completion.node();
    if (node == null) {
      return null;
    }
    Map<String, Op> open = new LinkedHashMap<>();
    for (Op op : history.ops()) {
      if (op.index() > completion.index()) {
        break;
      }
      if (!op.isNemesis()) {
        continue;
      }
      String f = op.f();
      if (f.startsWith("start-")) {
        open.putIfAbsent(f.substring("start-".length()), op);
      } else if (f.startsWith("stop-")) {
        open.remove(f.substring("stop-".length()));
      } else if (f.equals("heal") || f.equals("stop")) {
        open.clear();
      }
    }
    for (var e : open.entrySet()) {
      Op start = e.getValue();
      if (e.getKey().startsWith("partition") && start.value() instanceof Map<?, ?> v) {
        if (v.get("grudge") instanceof Map<?, ?> grudge && grudge.containsKey(node)) {
          int total = grudge.size();
          int unheard = grudge.get(node) instanceof List<?> l ? l.size() : 0;
          int reach = total - unheard;
          if (reach * 2 <= total) {
            return node
                + " was cut off from a majority by the partition that began at op #"
                + start.index()
                + " (it could reach "
                + reach
                + " of "
                + total
                + " nodes, itself included), so it answered as an old leader that no longer"
                + " led: a newer leader on the majority side had already acknowledged writes it"
                + " never saw.";
          }
          return "A partition was in force (since op #"
              + start.index()
              + "), but "
              + node
              + " was on the majority side.";
        }
      }
      if (start.value() instanceof Map<?, ?> v
          && v.get("targets") instanceof List<?> targets
          && targets.contains(node)) {
        return "A "
            + e.getKey()
            + " fault on "
            + node
            + " was in force (since op #"
            + start.index()
            + ").";
      }
    }
    return null;
  }
}
