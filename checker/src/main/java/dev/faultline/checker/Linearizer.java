package dev.faultline.checker;

import dev.faultline.checker.model.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Wing–Gong–Lowe search over one partition, with the memoisation Lowe added and the layout of
 * Porcupine: call and return events in one doubly linked list in time order; linearizing an op
 * lifts its call (and return) out of the list, backtracking unlifts it. Reaching a return event
 * whose call is still in the list means that op cannot be fitted before its completion, so the last
 * choice is undone. A configuration (linearized-op bitset, model state) already explored is never
 * explored again.
 *
 * <p>Indeterminate ops (info or pending) have no return event: they may take effect at any point
 * after their invocation, or never, so the search succeeds once every {@code ok} op is linearized.
 * Among indeterminate ops with equal inputs, only the earliest-invoked one not yet linearized is
 * tried: any order using a later twin can use the earlier one in its place.
 *
 * <p>A read-only op (one the model says never changes the state) that is legal where it stands is
 * placed at once and never swapped for another candidate: moving a read earlier, to a point where
 * it is already legal, changes no state the other ops see. This keeps a burst of concurrent reads
 * from multiplying the configurations by every subset of them.
 *
 * <p>Pure code: no threads, no clock. It polls the {@link Budget} every {@value #POLL_MASK} + 1
 * steps. The search can run in slices of a given number of steps ({@link #advance}), so that a
 * scheduler can share one thread fairly between keys.
 */
final class Linearizer<S, I> {
  private static final int POLL_MASK = 4095;
  private static final int MAX_STATES = 16;
  private static final int READS_ASKED = 8;

  /** What the search found; op numbers are the partition's local ones. */
  record Outcome(
      Verdict verdict,
      int[] order,
      int culprit,
      List<Object> states,
      int[] candidates,
      long steps,
      int memoEntries,
      String reason) {}

  private final Model<S, I> model;
  private final I[] inputs;
  private final boolean[] determinate;
  private final boolean[] readOnly;
  private final int[] twin;
  private final long[] zobrist;
  private final Budget budget;
  private final int n;
  private final int okCount;

  // The event list: node 0 is the head; call nodes carry their op, return nodes -1 - op.
  private final int[] next;
  private final int[] prev;
  private final int[] nodeOp;
  private final int[] returnOf;
  private final int[] completePos;

  /**
   * @param inputs the model input of each op, in invocation order
   * @param invokePos each op's invocation position in the history
   * @param completePos each op's completion position, or -1 when indeterminate
   */
  Linearizer(Model<S, I> model, I[] inputs, int[] invokePos, int[] completePos, Budget budget) {
    this.model = model;
    this.inputs = inputs;
    this.budget = budget;
    this.n = inputs.length;
    this.completePos = completePos;
    determinate = new boolean[n];
    int ok = 0;
    for (int i = 0; i < n; i++) {
      determinate[i] = completePos[i] >= 0;
      if (determinate[i]) {
        ok++;
      }
    }
    okCount = ok;
    readOnly = new boolean[n];
    for (int i = 0; i < n; i++) {
      readOnly[i] = model.isReadOnly(inputs[i]);
    }
    twin = twins(inputs, determinate);
    zobrist = new long[n];
    SplittableRandom rnd = new SplittableRandom(0x5eed_f00dL);
    for (int i = 0; i < n; i++) {
      zobrist[i] = rnd.nextLong();
    }
    int events = n + ok;
    long[] keyed = new long[events];
    int e = 0;
    for (int i = 0; i < n; i++) {
      keyed[e++] = ((long) invokePos[i] << 32) | (i << 1);
      if (determinate[i]) {
        keyed[e++] = ((long) completePos[i] << 32) | (i << 1) | 1;
      }
    }
    Arrays.sort(keyed);
    next = new int[events + 1];
    prev = new int[events + 1];
    nodeOp = new int[events + 1];
    returnOf = new int[events + 1];
    int[] callNode = new int[n];
    for (int k = 0; k < events; k++) {
      int node = k + 1;
      int low = (int) keyed[k];
      int op = low >>> 1;
      boolean ret = (low & 1) == 1;
      nodeOp[node] = ret ? -1 - op : op;
      if (ret) {
        returnOf[callNode[op]] = node;
      } else {
        callNode[op] = node;
      }
      prev[node] = node - 1;
      next[node - 1] = node;
    }
    next[events] = 0;
    prev[0] = events;
  }

  private static <I> int[] twins(I[] inputs, boolean[] determinate) {
    int[] twin = new int[inputs.length];
    java.util.HashMap<I, Integer> last = new java.util.HashMap<>();
    for (int i = 0; i < inputs.length; i++) {
      twin[i] = -1;
      if (!determinate[i]) {
        Integer t = last.put(inputs[i], i);
        if (t != null) {
          twin[i] = t;
        }
      }
    }
    return twin;
  }

  private void lift(int call) {
    next[prev[call]] = next[call];
    prev[next[call]] = prev[call];
    int ret = returnOf[call];
    if (ret != 0) {
      next[prev[ret]] = next[ret];
      prev[next[ret]] = prev[ret];
    }
  }

  private void unlift(int call) {
    int ret = returnOf[call];
    if (ret != 0) {
      next[prev[ret]] = ret;
      prev[next[ret]] = ret;
    }
    next[prev[call]] = call;
    prev[next[call]] = call;
  }

  // The search's position, kept between slices so that it can be resumed (see advance).
  private long[] bits;
  private long bitsHash;
  private S state;
  private int[] stackNode;
  private S[] stackState;
  private boolean[] forced;
  private int depth;
  private int okLeft;
  private long steps;
  private int node;
  private MemoTable memo;
  private Outcome outcome;

  private int bestDepth = -1;
  private int[] bestOrder = new int[0];
  private int culprit = -1;
  private final List<Object> bestStates = new ArrayList<>();
  private int[] candidates = new int[0];

  /** Searches to the end (or until the budget stops it). */
  Outcome run() {
    Outcome out;
    do {
      out = advance(Long.MAX_VALUE);
    } while (out == null);
    return out;
  }

  /** Steps taken so far. */
  long steps() {
    return steps;
  }

  /**
   * Searches for up to {@code maxSteps} more steps: the outcome once decided (or stopped by the
   * budget), null when the slice ran out first; the next call goes on where this one stopped. The
   * memo table is released once an outcome is returned.
   */
  @SuppressWarnings("unchecked")
  Outcome advance(long maxSteps) {
    if (outcome != null) {
      return outcome;
    }
    if (memo == null) {
      int words = Math.max(1, (n + 63) >>> 6);
      bits = new long[words];
      state = model.initialState();
      stackNode = new int[n];
      stackState = (S[]) new Object[n];
      forced = new boolean[n];
      okLeft = okCount;
      node = next[0];
      memo = new MemoTable(words, budget);
    }
    try {
      outcome = search(steps + maxSteps < 0 ? Long.MAX_VALUE : steps + maxSteps);
    } catch (MemoTable.Full full) {
      outcome =
          new Outcome(
              Verdict.UNKNOWN,
              bestOrder.length >= depth ? bestOrder : ops(stackNode, depth),
              -1,
              List.of(),
              new int[0],
              steps,
              memo.size(),
              "memo limit: the search's memo tables reached the cap of "
                  + (budget.memoLimitBytes() >> 20)
                  + " MiB");
    }
    if (outcome != null) {
      memo.release();
      stackState = null;
    }
    return outcome;
  }

  /** Releases the memory of a search that will not be resumed (another key decided the verdict). */
  void abandon() {
    if (outcome == null && memo != null) {
      memo.release();
      memo = null;
      stackState = null;
      outcome =
          new Outcome(
              Verdict.UNKNOWN, ops(stackNode, depth), -1, List.of(), new int[0], steps, 0, null);
    }
  }

  private Outcome search(long stepLimit) {
    while (okLeft > 0) {
      if (steps == stepLimit) {
        return null;
      }
      if ((++steps & POLL_MASK) == 0 && budget.shouldStop()) {
        return new Outcome(
            Verdict.UNKNOWN,
            ops(stackNode, Math.max(depth, 0)),
            -1,
            List.of(),
            new int[0],
            steps,
            memo.size(),
            null);
      }
      int op = nodeOp[node];
      if (op >= 0) {
        boolean dead = false;
        int t = twin[op];
        if (t < 0 || (bits[t >>> 6] & (1L << t)) != 0) {
          S after = model.step(state, inputs[op]);
          if (after != null && !readOnly[op] && after != state && strandsARead(node, after)) {
            after = null;
          }
          if (after != null) {
            bits[op >>> 6] |= 1L << op;
            long h = bitsHash ^ zobrist[op];
            if (memo.add(bits, h, after)) {
              stackNode[depth] = node;
              stackState[depth] = state;
              forced[depth] = readOnly[op];
              depth++;
              state = after;
              bitsHash = h;
              lift(node);
              if (determinate[op]) {
                okLeft--;
              }
              node = next[0];
              continue;
            }
            bits[op >>> 6] &= ~(1L << op);
            // Placing a legal read-only op now loses nothing, so once that configuration has
            // been explored, so has everything reachable from this one.
            dead = readOnly[op];
          }
        }
        if (!dead) {
          node = next[node];
          continue;
        }
      } else {
        int blocked = -1 - op;
        // The most telling failure is the one that got furthest through the history in real
        // time (as Knossos reports it), and among those the longest prefix.
        boolean further =
            culprit < 0
                || completePos[blocked] > completePos[culprit]
                || (blocked == culprit && depth > bestDepth);
        if (further) {
          bestDepth = depth;
          bestOrder = ops(stackNode, depth);
          culprit = blocked;
          bestStates.clear();
          bestStates.add(state);
          candidates = callsBefore(node);
        } else if (depth == bestDepth
            && blocked == culprit
            && bestStates.size() < MAX_STATES
            && !bestStates.contains(state)) {
          bestStates.add(state);
        }
      }
      // Backtrack: undo choices up to the last one that was not forced, then try what follows
      // it in the list.
      while (true) {
        if (depth == 0) {
          return new Outcome(
              Verdict.INVALID,
              bestOrder,
              culprit,
              List.copyOf(bestStates),
              candidates,
              steps,
              memo.size(),
              null);
        }
        depth--;
        node = stackNode[depth];
        state = stackState[depth];
        stackState[depth] = null;
        int undone = nodeOp[node];
        bits[undone >>> 6] &= ~(1L << undone);
        bitsHash ^= zobrist[undone];
        unlift(node);
        if (determinate[undone]) {
          okLeft++;
        }
        if (!forced[depth]) {
          node = next[node];
          break;
        }
      }
    }
    return new Outcome(
        Verdict.VALID, ops(stackNode, depth), -1, List.of(), new int[0], steps, memo.size(), null);
  }

  /**
   * True when one of the next few unplaced read-only ops (in invocation order) could never be legal
   * again once {@code after} is the state: then no way on from this configuration linearizes it.
   * Every unplaced read must be placed some time, so asking any of them is sound; the nearest ones
   * are the ones most likely to refuse, and asking only {@value #READS_ASKED} of them bounds the
   * cost of a step.
   */
  private boolean strandsARead(int placed, S after) {
    int asked = 0;
    for (int node = next[0]; node != 0 && asked < READS_ASKED; node = next[node]) {
      int op = nodeOp[node];
      if (op >= 0 && node != placed && readOnly[op] && determinate[op]) {
        asked++;
        if (!model.canStillBeRead(after, inputs[op])) {
          return true;
        }
      }
    }
    return false;
  }

  private int[] ops(int[] stackNode, int depth) {
    int[] out = new int[depth];
    for (int i = 0; i < depth; i++) {
      out[i] = nodeOp[stackNode[i]];
    }
    return out;
  }

  private int[] callsBefore(int returnNode) {
    int count = 0;
    for (int node = next[0]; node != returnNode; node = next[node]) {
      if (nodeOp[node] >= 0) {
        count++;
      }
    }
    int[] out = new int[count];
    int i = 0;
    for (int node = next[0]; node != returnNode; node = next[node]) {
      if (nodeOp[node] >= 0) {
        out[i++] = nodeOp[node];
      }
    }
    return out;
  }
}
