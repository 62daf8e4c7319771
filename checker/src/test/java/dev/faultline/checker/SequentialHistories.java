package dev.faultline.checker;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Histories recorded around a real sequential execution: each op takes effect at its own instant,
 * on a real map, and its invocation and completion are placed at random just before and after that
 * instant. Such a history is linearizable by construction.
 */
final class SequentialHistories {
  private SequentialHistories() {}

  /** A value no generated op ever writes. */
  static final long NEVER_WRITTEN = 1_000_000L;

  private record Event(long time, boolean invoke, int op) {}

  private record Planned(
      long process, String f, String key, Object invokeValue, Object result, OpType outcome) {}

  static History generate(long seed, int ops, int keys, int spread) {
    Random rnd = new Random(seed);
    Map<String, Object> store = new HashMap<>();
    List<Planned> planned = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    List<long[]> procs = new ArrayList<>(); // {id, busy-until, retired}
    long nextId = 0;
    for (int i = 0; i < ops; i++) {
      long point = 1000L * (i + 1);
      long inv = point - 1 - rnd.nextInt(spread);
      long done = point + 1 + rnd.nextInt(spread);
      String key = "k" + rnd.nextInt(keys);
      Object current = store.get(key);
      boolean info = rnd.nextInt(12) == 0;
      boolean takesEffect = !info || rnd.nextBoolean();
      int kind = rnd.nextInt(5);
      String f;
      Object arg = null;
      Object result = null;
      OpType outcome = info ? OpType.INFO : OpType.OK;
      switch (kind) {
        case 0, 1 -> {
          f = "read";
          result = current;
        }
        case 2 -> {
          f = "write";
          arg = (long) rnd.nextInt(5);
          if (takesEffect) {
            store.put(key, arg);
          }
        }
        case 3 -> {
          f = "cas";
          Object expected = rnd.nextBoolean() ? current : (Object) (long) rnd.nextInt(5);
          Object next = (long) rnd.nextInt(5);
          arg = Arrays.asList(expected, next);
          boolean matches = expected == null ? current == null : expected.equals(current);
          if (!matches && !info) {
            outcome = OpType.FAIL;
          } else if (matches && takesEffect) {
            store.put(key, next);
          }
        }
        default -> {
          f = "delete";
          if (takesEffect) {
            store.remove(key);
          }
        }
      }
      long process = -1;
      for (long[] p : procs) {
        if (p[2] == 0 && p[1] < inv) {
          process = p[0];
          p[1] = done;
          p[2] = info ? 1 : 0;
          break;
        }
      }
      if (process < 0) {
        process = nextId++;
        procs.add(new long[] {process, done, info ? 1 : 0});
      }
      planned.add(new Planned(process, f, key, arg, result, outcome));
      events.add(new Event(inv, true, i));
      if (!(info && rnd.nextBoolean())) {
        events.add(new Event(done, false, i));
      }
    }
    events.sort(Comparator.comparingLong(Event::time));
    HistoryBuilder b = new HistoryBuilder();
    for (Event e : events) {
      Planned p = planned.get(e.op());
      if (e.invoke()) {
        b.add(
            new Op(
                0,
                e.time(),
                p.process(),
                OpType.INVOKE,
                p.f(),
                p.key(),
                p.invokeValue(),
                null,
                null));
      } else {
        Object value =
            p.f().equals("read") ? (p.outcome() == OpType.OK ? p.result() : null) : p.invokeValue();
        b.add(new Op(0, e.time(), p.process(), p.outcome(), p.f(), p.key(), value, null, null));
      }
    }
    return b.build();
  }

  /** The same history with the completion of one ok read (chosen by {@code pick}) changed. */
  static History corruptOneRead(History h, int pick) {
    List<Integer> reads = new ArrayList<>();
    for (Op op : h.ops()) {
      if (op.type() == OpType.OK && op.f().equals("read")) {
        reads.add(op.index());
      }
    }
    if (reads.isEmpty()) {
      return null;
    }
    int target = reads.get(Math.floorMod(pick, reads.size()));
    List<Op> ops = new ArrayList<>(h.ops());
    ops.set(target, ops.get(target).withValue(NEVER_WRITTEN));
    return History.of(ops);
  }
}
