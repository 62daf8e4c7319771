package dev.faultline.histories;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered, immutable list of ops in which every client completion is paired with its invocation.
 * Invocations without a completion are pending. Nemesis ops are events and are not paired. Build
 * one with {@link HistoryBuilder} or {@link #of(List)}.
 */
public final class History {
  private final List<Op> ops;
  // For an invocation, the position of its completion (or -1); for a completion, of its invocation.
  private final int[] partner;

  History(List<Op> ops, int[] partner) {
    this.ops = ops;
    this.partner = partner;
  }

  /** Builds a history from ops in order, re-indexing them densely. */
  public static History of(List<Op> ops) {
    HistoryBuilder b = new HistoryBuilder();
    for (Op op : ops) {
      b.add(op);
    }
    return b.build();
  }

  public List<Op> ops() {
    return ops;
  }

  public int size() {
    return ops.size();
  }

  public Op get(int position) {
    return ops.get(position);
  }

  /**
   * The completion of the invocation at {@code position}, or null when it is pending or not an
   * invocation.
   */
  public Op completionOf(int position) {
    Op op = ops.get(position);
    int p = partner[position];
    return op.isInvoke() && p >= 0 ? ops.get(p) : null;
  }

  /**
   * The invocation that the completion at {@code position} completes, or null for an invocation or
   * event.
   */
  public Op invocationOf(int position) {
    Op op = ops.get(position);
    int p = partner[position];
    return !op.isInvoke() && p >= 0 ? ops.get(p) : null;
  }

  /** Every client operation in invocation order. */
  public List<Call> calls() {
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      if (op.isInvoke() && !op.isNemesis()) {
        int p = partner[i];
        calls.add(new Call(op, p >= 0 ? ops.get(p) : null));
      }
    }
    return calls;
  }

  /** Invocations that never completed. */
  public List<Op> pending() {
    List<Op> out = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      if (op.isInvoke() && !op.isNemesis() && partner[i] < 0) {
        out.add(op);
      }
    }
    return out;
  }

  /** Nemesis events in order. */
  public List<Op> nemesisEvents() {
    List<Op> out = new ArrayList<>();
    for (Op op : ops) {
      if (op.isNemesis()) {
        out.add(op);
      }
    }
    return out;
  }

  /** Client ops grouped by process, in order of first appearance, each list in history order. */
  public Map<Long, List<Op>> byProcess() {
    Map<Long, List<Op>> out = new LinkedHashMap<>();
    for (Op op : ops) {
      if (!op.isNemesis()) {
        out.computeIfAbsent(op.process(), p -> new ArrayList<>()).add(op);
      }
    }
    out.replaceAll((p, list) -> Collections.unmodifiableList(list));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Client ops split by key into sub-histories, in order of each key's first appearance. Ops keep
   * their original indices, so results refer to the whole history. Ops with no key fall under the
   * null key.
   */
  public Map<Object, History> byKey() {
    Map<Object, HistoryBuilderKeepingIndex> parts = new LinkedHashMap<>();
    for (Op op : ops) {
      if (!op.isNemesis()) {
        parts.computeIfAbsent(op.key(), k -> new HistoryBuilderKeepingIndex()).add(op);
      }
    }
    Map<Object, History> out = new LinkedHashMap<>();
    parts.forEach((k, b) -> out.put(k, b.build()));
    return Collections.unmodifiableMap(out);
  }

  /** Pairs ops of one key, keeping each op's index from the whole history. */
  private static final class HistoryBuilderKeepingIndex {
    private final List<Op> ops = new ArrayList<>();
    private final List<Integer> pairs = new ArrayList<>();
    private final Map<Long, Integer> open = new java.util.HashMap<>();

    void add(Op op) {
      int pos = ops.size();
      int partner = -1;
      if (op.isInvoke()) {
        open.put(op.process(), pos);
      } else {
        Integer inv = open.remove(op.process());
        if (inv != null) {
          partner = inv;
          pairs.set(inv, pos);
        }
      }
      ops.add(op);
      pairs.add(partner);
    }

    History build() {
      int[] partner = new int[pairs.size()];
      for (int i = 0; i < partner.length; i++) {
        partner[i] = pairs.get(i);
      }
      return new History(List.copyOf(ops), partner);
    }
  }
}
