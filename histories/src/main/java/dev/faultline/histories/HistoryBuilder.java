package dev.faultline.histories;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles a {@link History} op by op, in file order, pairing each completion with its process's
 * open invocation as it arrives, so that a reader can report a misfit at the line where it occurs.
 * Ops are re-indexed densely from 0.
 */
public final class HistoryBuilder {
  private final List<Op> ops = new ArrayList<>();
  // For each position, its partner's position (or -1), as in History.
  private int[] pairs = new int[64];
  private final Map<Long, Integer> open = new HashMap<>();

  /**
   * Appends an op (its index is replaced by its position) and returns the op as stored.
   *
   * @throws InvalidHistoryException when the op does not fit the process's sequence
   */
  public Op add(Op op) {
    int pos = ops.size();
    Op stored = op.index() == pos ? op : op.withIndex(pos);
    int partner = -1;
    if (!stored.isNemesis()) {
      if (stored.isInvoke()) {
        Integer prior = open.get(stored.process());
        if (prior != null) {
          throw new InvalidHistoryException(
              "process "
                  + stored.process()
                  + " to complete its "
                  + ops.get(prior).f()
                  + " (op "
                  + prior
                  + ") before invoking again, since a process runs one op at a time",
              "an invocation of " + stored.f());
        }
        open.put(stored.process(), pos);
      } else {
        Integer inv = open.remove(stored.process());
        if (inv == null) {
          throw new InvalidHistoryException(
              "an open invocation by process " + stored.process(),
              "a completion (" + stored.type().wireName() + " " + stored.f() + ") with none");
        }
        Op invoke = ops.get(inv);
        if (!invoke.f().equals(stored.f())) {
          throw new InvalidHistoryException(
              "a completion of "
                  + invoke.f()
                  + " (op "
                  + inv
                  + ", process "
                  + stored.process()
                  + ")",
              "a completion of " + stored.f());
        }
        if (stored.key() == null && invoke.key() != null) {
          stored = stored.withKey(invoke.key());
        }
        partner = inv;
        pairs[inv] = pos;
      }
    }
    if (pos == pairs.length) {
      pairs = Arrays.copyOf(pairs, pos * 2);
    }
    ops.add(stored);
    pairs[pos] = partner;
    return stored;
  }

  public int size() {
    return ops.size();
  }

  public History build() {
    return new History(List.copyOf(ops), Arrays.copyOf(pairs, ops.size()));
  }
}
