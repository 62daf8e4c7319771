package dev.faultline.checker;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small random kv histories for property tests, built from a seed. */
final class RandomHistories {
  private RandomHistories() {}

  private static final String[] KEYS = {"a", "b", "c"};

  /**
   * Random interleaving of invocations and completions: up to {@code maxProcs} processes at once,
   * at most {@code maxCalls} calls, {@code keys} keys, read/write/cas (and delete when {@code
   * delete}), completions ok/fail/info or none. Reads return a value written to the key or absent,
   * so both valid and invalid histories come up often. A process that ends with info retires, as in
   * Jepsen.
   */
  static History interleaved(long seed, int maxProcs, int maxCalls, int keys, boolean delete) {
    Random rnd = new Random(seed);
    HistoryBuilder b = new HistoryBuilder();
    Map<Integer, Op> open = new HashMap<>();
    List<Integer> procs = new ArrayList<>();
    int nextProc = 0;
    int procCount = 1 + rnd.nextInt(maxProcs);
    for (int i = 0; i < procCount; i++) {
      procs.add(nextProc++);
    }
    int calls = 1 + rnd.nextInt(maxCalls);
    int invoked = 0;
    long time = 0;
    Map<String, List<Object>> written = new HashMap<>();
    while (invoked < calls || !open.isEmpty()) {
      boolean canInvoke = invoked < calls && open.size() < procs.size();
      if (canInvoke && (open.isEmpty() || rnd.nextBoolean())) {
        List<Integer> idle = new ArrayList<>();
        for (int p : procs) {
          if (!open.containsKey(p)) {
            idle.add(p);
          }
        }
        int p = idle.get(rnd.nextInt(idle.size()));
        String key = KEYS[rnd.nextInt(keys)];
        int kind = rnd.nextInt(delete ? 4 : 3);
        Op op =
            switch (kind) {
              case 0 -> new Op(0, time++, p, OpType.INVOKE, "read", key, null, null, null);
              case 1 -> new Op(0, time++, p, OpType.INVOKE, "write", key, value(rnd), null, null);
              case 2 ->
                  new Op(
                      0,
                      time++,
                      p,
                      OpType.INVOKE,
                      "cas",
                      key,
                      java.util.Arrays.asList(likely(rnd, written.get(key)), value(rnd)),
                      null,
                      null);
              default -> new Op(0, time++, p, OpType.INVOKE, "delete", key, null, null, null);
            };
        if (kind == 1) {
          written.computeIfAbsent(key, k -> new ArrayList<>()).add(op.value());
        } else if (kind == 2) {
          written.computeIfAbsent(key, k -> new ArrayList<>()).add(((List<?>) op.value()).get(1));
        }
        open.put(p, b.add(op));
        invoked++;
      } else {
        List<Integer> busy = new ArrayList<>(open.keySet());
        int p = busy.get(rnd.nextInt(busy.size()));
        Op inv = open.remove(p);
        int roll = rnd.nextInt(10);
        if (roll == 9 && invoked >= calls) {
          continue; // left pending: the history ends while it is open
        }
        OpType type = roll < 7 ? OpType.OK : roll == 7 ? OpType.FAIL : OpType.INFO;
        Object value = inv.value();
        if (inv.f().equals("read")) {
          List<Object> seen = written.getOrDefault((String) inv.key(), List.of());
          value =
              type != OpType.OK || seen.isEmpty() || rnd.nextInt(4) == 0
                  ? value(rnd)
                  : seen.get(seen.size() - 1 - rnd.nextInt(Math.min(2, seen.size())));
        }
        b.add(new Op(0, time++, p, type, inv.f(), inv.key(), value, null, null));
        if (type == OpType.INFO) {
          procs.remove(Integer.valueOf(p));
          procs.add(nextProc++);
        }
      }
    }
    return b.build();
  }

  /**
   * Random interleavings of {@code add v} and {@code read} on one set: reads return the elements
   * added so far, sometimes with one left out or one extra, so both verdicts come up.
   */
  static History sets(long seed, int maxProcs, int maxCalls) {
    Random rnd = new Random(seed);
    HistoryBuilder b = new HistoryBuilder();
    Map<Integer, Op> open = new HashMap<>();
    List<Integer> procs = new ArrayList<>();
    int nextProc = 1 + rnd.nextInt(maxProcs);
    for (int i = 0; i < nextProc; i++) {
      procs.add(i);
    }
    List<Long> added = new ArrayList<>();
    int calls = 1 + rnd.nextInt(maxCalls);
    int invoked = 0;
    long time = 0;
    while (invoked < calls || !open.isEmpty()) {
      boolean canInvoke = invoked < calls && open.size() < procs.size();
      if (canInvoke && (open.isEmpty() || rnd.nextBoolean())) {
        List<Integer> idle = new ArrayList<>(procs);
        idle.removeAll(open.keySet());
        int p = idle.get(rnd.nextInt(idle.size()));
        Op op =
            rnd.nextBoolean()
                ? new Op(
                    0, time++, p, OpType.INVOKE, "add", null, (long) rnd.nextInt(5), null, null)
                : new Op(0, time++, p, OpType.INVOKE, "read", null, null, null, null);
        if (op.f().equals("add")) {
          added.add((Long) op.value());
        }
        open.put(p, b.add(op));
        invoked++;
      } else {
        List<Integer> busy = new ArrayList<>(open.keySet());
        int p = busy.get(rnd.nextInt(busy.size()));
        Op inv = open.remove(p);
        int roll = rnd.nextInt(10);
        OpType type = roll < 7 ? OpType.OK : roll == 7 ? OpType.FAIL : OpType.INFO;
        Object value = inv.value();
        if (inv.f().equals("read")) {
          List<Long> seen = new ArrayList<>(new java.util.LinkedHashSet<>(added));
          int fiddle = rnd.nextInt(4);
          if (fiddle == 0 && !seen.isEmpty()) {
            seen.remove(rnd.nextInt(seen.size()));
          } else if (fiddle == 1) {
            seen.add((long) rnd.nextInt(5));
          }
          value = type == OpType.OK ? List.copyOf(new java.util.LinkedHashSet<>(seen)) : null;
        }
        b.add(new Op(0, time++, p, type, inv.f(), null, value, null, null));
        if (type == OpType.INFO) {
          procs.remove(Integer.valueOf(p));
          procs.add(nextProc++);
        }
      }
    }
    return b.build();
  }

  /**
   * Random interleavings of {@code append} and {@code get} (Porcupine's kv) on up to {@code keys}
   * keys, with a {@code put} now and then when {@code puts}: a get returns the key's string at some
   * point of its call, sometimes with a token dropped or two swapped, so both verdicts come up; a
   * share of calls end info or fail.
   */
  static History appends(long seed, int maxProcs, int maxCalls, int keys, boolean puts) {
    Random rnd = new Random(seed);
    HistoryBuilder b = new HistoryBuilder();
    Map<Integer, Op> open = new HashMap<>();
    Map<Integer, String> seenAt = new HashMap<>();
    List<Integer> procs = new ArrayList<>();
    int nextProc = 1 + rnd.nextInt(maxProcs);
    for (int i = 0; i < nextProc; i++) {
      procs.add(i);
    }
    Map<String, String> store = new HashMap<>();
    int calls = 1 + rnd.nextInt(maxCalls);
    int invoked = 0;
    long time = 0;
    int token = 0;
    while (invoked < calls || !open.isEmpty()) {
      boolean canInvoke = invoked < calls && open.size() < procs.size();
      if (canInvoke && (open.isEmpty() || rnd.nextBoolean())) {
        List<Integer> idle = new ArrayList<>(procs);
        idle.removeAll(open.keySet());
        int p = idle.get(rnd.nextInt(idle.size()));
        String key = KEYS[rnd.nextInt(keys)];
        int kind = rnd.nextInt(puts ? 5 : 4);
        Op op =
            kind < 2
                ? new Op(0, time++, p, OpType.INVOKE, "get", key, null, null, null)
                : new Op(
                    0,
                    time++,
                    p,
                    OpType.INVOKE,
                    kind == 4 ? "put" : "append",
                    key,
                    "<" + token++ + ">",
                    null,
                    null);
        // The op takes effect at its invocation or (below) at its completion.
        if (!op.f().equals("get") && rnd.nextBoolean()) {
          apply(store, op);
          seenAt.put(p, "applied");
        } else {
          seenAt.put(p, store.getOrDefault(key, ""));
        }
        open.put(p, b.add(op));
        invoked++;
      } else {
        List<Integer> busy = new ArrayList<>(open.keySet());
        int p = busy.get(rnd.nextInt(busy.size()));
        Op inv = open.remove(p);
        int roll = rnd.nextInt(10);
        OpType type = roll < 8 ? OpType.OK : roll == 8 ? OpType.FAIL : OpType.INFO;
        Object value = inv.value();
        if (inv.f().equals("get")) {
          String now = store.getOrDefault((String) inv.key(), "");
          String seen = rnd.nextBoolean() ? seenAt.get(p) : now;
          int fiddle = rnd.nextInt(6);
          if (fiddle == 0 && seen.indexOf('<') >= 0) {
            int from = seen.indexOf('<', rnd.nextInt(seen.length()));
            from = from < 0 ? seen.indexOf('<') : from;
            seen = seen.substring(0, from) + seen.substring(seen.indexOf('>', from) + 1);
          } else if (fiddle == 1) {
            seen = seen + "<x>";
          }
          value = type == OpType.OK ? seen : null;
        } else if (!"applied".equals(seenAt.get(p)) && type != OpType.FAIL) {
          if (type == OpType.OK || rnd.nextBoolean()) {
            apply(store, inv);
          }
        }
        if (type == OpType.FAIL && "applied".equals(seenAt.get(p))) {
          type = OpType.INFO;
        }
        b.add(new Op(0, time++, p, type, inv.f(), inv.key(), value, null, null));
        if (type == OpType.INFO) {
          procs.remove(Integer.valueOf(p));
          procs.add(nextProc++);
        }
      }
    }
    return b.build();
  }

  private static void apply(Map<String, String> store, Op op) {
    String key = (String) op.key();
    if (op.f().equals("put")) {
      store.put(key, (String) op.value());
    } else {
      store.put(key, store.getOrDefault(key, "") + op.value());
    }
  }

  private static Object likely(Random rnd, List<Object> seen) {
    return seen == null || seen.isEmpty() || rnd.nextInt(3) == 0
        ? value(rnd)
        : seen.get(seen.size() - 1);
  }

  private static Object value(Random rnd) {
    int v = rnd.nextInt(4);
    return v == 3 ? null : (Object) (long) v;
  }
}
