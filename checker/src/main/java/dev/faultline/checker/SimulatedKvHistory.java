package dev.faultline.checker;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A seeded key-value history recorded around a simulated linearizable store, for benchmarks: each
 * client invokes an op, the op takes effect on the store a little later, and completes a little
 * after that. Reads, writes and compare-and-sets on random keys; a cas whose expected value does
 * not match fails; a share of ops end {@code info}, having taken effect or not, after which the
 * client continues under a fresh process id (Jepsen's rule). Valid by construction. The one seeded
 * generator of synthetic histories: {@link #generate} holds the history for the checker's
 * benchmarks, {@link #stream} hands ops on one at a time so a history reader's benchmark can write
 * millions of them without holding them.
 */
public final class SimulatedKvHistory {
  private SimulatedKvHistory() {}

  /** Receives the generated ops in history order, indexed densely from 0. */
  @FunctionalInterface
  public interface Sink<E extends Exception> {
    void accept(Op op) throws E;
  }

  /**
   * Generates {@code calls} calls.
   *
   * @param infoPercent the share of calls that end info, in percent
   */
  public static History generate(long seed, int calls, int keys, int clients, int infoPercent) {
    HistoryBuilder b = new HistoryBuilder();
    stream(seed, calls, keys, clients, infoPercent, b::add);
    return b.build();
  }

  /**
   * Generates {@code calls} calls as {@link #generate} does, op for op, handing each to {@code out}
   * instead of holding them.
   */
  public static <E extends Exception> void stream(
      long seed, int calls, int keys, int clients, int infoPercent, Sink<E> out) throws E {
    if (calls < 0 || keys < 1 || clients < 1 || infoPercent < 0 || infoPercent > 100) {
      throw new IllegalArgumentException(
          "a simulated history needs calls >= 0, keys >= 1, clients >= 1 and 0..100 percent info,"
              + " got "
              + calls
              + ", "
              + keys
              + ", "
              + clients
              + ", "
              + infoPercent);
    }
    int index = 0;
    Random rnd = new Random(seed);
    long[] store = new long[keys];
    boolean[] present = new boolean[keys];
    long[] process = new long[clients];
    long nextProcess = clients;
    Op[] pending = new Op[clients];
    boolean[] info = new boolean[clients];
    Object[] result = new Object[clients];
    OpType[] outcome = new OpType[clients];
    String[] keyNames = new String[keys];
    for (int k = 0; k < keys; k++) {
      keyNames[k] = "k" + k;
    }
    int[] keyOf = new int[clients];
    // Events: {time, client, phase}; phase 0 invoke, 1 take effect, 2 complete.
    PriorityQueue<long[]> events = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    for (int c = 0; c < clients; c++) {
      process[c] = c;
      events.add(new long[] {rnd.nextInt(100), c, 0});
    }
    List<Long> small = new ArrayList<>();
    for (long v = 0; v < 100; v++) {
      small.add(v);
    }
    int invoked = 0;
    int open = 0;
    while (!events.isEmpty()) {
      long[] e = events.poll();
      long t = e[0];
      int c = (int) e[1];
      switch ((int) e[2]) {
        case 0 -> {
          if (invoked == calls) {
            continue;
          }
          invoked++;
          open++;
          int k = rnd.nextInt(keys);
          keyOf[c] = k;
          int pick = rnd.nextInt(10);
          Object value;
          String f;
          if (pick < 5) {
            f = "read";
            value = null;
          } else if (pick < 8) {
            f = "write";
            value = small.get(rnd.nextInt(100));
          } else {
            f = "cas";
            Object expected =
                rnd.nextBoolean() && present[k]
                    ? small.get((int) store[k])
                    : small.get(rnd.nextInt(100));
            value = List.of(expected, small.get(rnd.nextInt(100)));
          }
          info[c] = rnd.nextInt(100) < infoPercent;
          pending[c] =
              new Op(index++, t, process[c], OpType.INVOKE, f, keyNames[k], value, null, null);
          out.accept(pending[c]);
          events.add(new long[] {t + 1 + rnd.nextInt(100), c, 1});
        }
        case 1 -> {
          Op inv = pending[c];
          int k = keyOf[c];
          boolean effect = !info[c] || rnd.nextBoolean();
          outcome[c] = info[c] ? OpType.INFO : OpType.OK;
          result[c] = inv.value();
          switch (inv.f()) {
            case "read" ->
                result[c] = info[c] ? null : present[k] ? small.get((int) store[k]) : null;
            case "write" -> {
              if (effect) {
                store[k] = (Long) inv.value();
                present[k] = true;
              }
            }
            default -> {
              List<?> pair = (List<?>) inv.value();
              boolean matches = present[k] && store[k] == (Long) pair.get(0);
              if (!matches && !info[c]) {
                outcome[c] = OpType.FAIL;
              } else if (matches && effect) {
                store[k] = (Long) pair.get(1);
              }
            }
          }
          events.add(new long[] {t + 1 + rnd.nextInt(100), c, 2});
        }
        default -> {
          Op inv = pending[c];
          out.accept(
              new Op(
                  index++,
                  t,
                  inv.process(),
                  outcome[c],
                  inv.f(),
                  inv.key(),
                  result[c],
                  null,
                  null));
          open--;
          if (outcome[c] == OpType.INFO) {
            process[c] = nextProcess++;
          }
          events.add(new long[] {t + 1 + rnd.nextInt(50), c, 0});
        }
      }
      if (invoked == calls && open == 0) {
        break;
      }
    }
  }
}
