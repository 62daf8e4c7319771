package dev.faultline.checker;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A seeded key-value history in the shape of Porcupine's kv test data: many clients, a few keys,
 * {@code append} of a token unique to the client and call ({@code "x 7 12 y"}) and {@code get} of
 * the whole string (the empty string when the key was never written). Each call takes effect on a
 * simulated store at a random point between its invocation and its completion, so the history is
 * linearizable by construction; a share of calls may end {@code info} (an append that did or did
 * not take effect, after which the client continues under a fresh process id, Jepsen's rule).
 *
 * <p>{@link Shape#corrupt} changes one completed {@code get}: it drops from the string the token of
 * an append that had completed before the get was invoked. That append must come before the get in
 * any linearization and tokens are unique, so the changed history is certainly not linearizable,
 * and the search has to rule out every order of the calls around that get to say so.
 */
public final class AppendKvHistory {
  private AppendKvHistory() {}

  /**
   * What to generate.
   *
   * @param seed the generator's seed: the same shape gives the same ops
   * @param clients how many clients run at once
   * @param keys how many keys they share
   * @param calls how many calls in all
   * @param infoPercent the share of calls that end {@code info}, in percent
   * @param corrupt whether to corrupt one read (see the class comment)
   */
  public record Shape(
      long seed, int clients, int keys, int calls, int infoPercent, boolean corrupt) {
    /** Porcupine's 50-client kv case: 50 clients, 10 keys, 1,700 calls. */
    public static Shape clients50(long seed, int infoPercent, boolean corrupt) {
      return new Shape(seed, 50, 10, 1700, infoPercent, corrupt);
    }

    /** A short name for file names and tables, e.g. {@code c50-info5-bad-s1}. */
    public String name() {
      return "c"
          + clients
          + (infoPercent > 0 ? "-info" + infoPercent : "")
          + (corrupt ? "-bad" : "-ok")
          + "-s"
          + seed;
    }
  }

  private static final int INVOKE = 0;
  private static final int EFFECT = 1;
  private static final int COMPLETE = 2;

  /** Generates the history {@code shape} describes. */
  public static History generate(Shape shape) {
    SplittableRandom rnd = new SplittableRandom(shape.seed());
    int clients = shape.clients();
    String[] store = new String[shape.keys()];
    long[] process = new long[clients];
    long nextProcess = clients;
    int[] counter = new int[clients];
    int[] keyOf = new int[clients];
    boolean[] isAppend = new boolean[clients];
    boolean[] info = new boolean[clients];
    String[] value = new String[clients];
    String[] result = new String[clients];
    List<Op> ops = new ArrayList<>();
    // Events: {time, client, phase}.
    PriorityQueue<long[]> events =
        new PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    for (int c = 0; c < clients; c++) {
      process[c] = c;
      events.add(new long[] {rnd.nextInt(1000), c, INVOKE});
    }
    int invoked = 0;
    int open = 0;
    while (!events.isEmpty() && (invoked < shape.calls() || open > 0)) {
      long[] e = events.poll();
      long t = e[0];
      int c = (int) e[1];
      switch ((int) e[2]) {
        case INVOKE -> {
          if (invoked == shape.calls()) {
            continue;
          }
          invoked++;
          open++;
          int k = rnd.nextInt(shape.keys());
          keyOf[c] = k;
          isAppend[c] = rnd.nextBoolean();
          info[c] = rnd.nextInt(100) < shape.infoPercent();
          value[c] = isAppend[c] ? "x " + c + " " + counter[c]++ + " y" : null;
          ops.add(
              new Op(
                  0,
                  t,
                  process[c],
                  OpType.INVOKE,
                  isAppend[c] ? "append" : "get",
                  String.valueOf(k),
                  value[c],
                  null,
                  null));
          // Latency well above the think time, so that nearly every client has a call open.
          events.add(new long[] {t + 1 + rnd.nextInt(2000), c, EFFECT});
        }
        case EFFECT -> {
          int k = keyOf[c];
          if (isAppend[c]) {
            if (!info[c] || rnd.nextBoolean()) {
              store[k] = (store[k] == null ? "" : store[k]) + value[c];
            }
          } else {
            result[c] = store[k] == null ? "" : store[k];
          }
          events.add(new long[] {t + 1 + rnd.nextInt(2000), c, COMPLETE});
        }
        default -> {
          open--;
          OpType type = info[c] ? OpType.INFO : OpType.OK;
          Object v = isAppend[c] ? value[c] : info[c] ? null : result[c];
          ops.add(
              new Op(
                  0,
                  t,
                  process[c],
                  type,
                  isAppend[c] ? "append" : "get",
                  String.valueOf(keyOf[c]),
                  v,
                  null,
                  null));
          if (info[c]) {
            process[c] = nextProcess++;
          }
          events.add(new long[] {t + 1 + rnd.nextInt(100), c, INVOKE});
        }
      }
    }
    if (shape.corrupt()) {
      corrupt(ops, rnd);
    }
    HistoryBuilder b = new HistoryBuilder();
    for (Op op : ops) {
      b.add(op);
    }
    return b.build();
  }

  /**
   * Drops from one completed get, past the first third of the history, the token of an ok append on
   * its key that completed before the get was invoked.
   */
  private static void corrupt(List<Op> ops, SplittableRandom rnd) {
    int n = ops.size();
    for (int attempt = 0; attempt < 10_000; attempt++) {
      int getInvoke = n / 3 + rnd.nextInt(n / 2);
      Op inv = ops.get(getInvoke);
      if (!inv.isInvoke() || !inv.f().equals("get")) {
        continue;
      }
      int done = -1;
      for (int j = getInvoke + 1; j < n; j++) {
        Op o = ops.get(j);
        if (o.process() == inv.process()) {
          done = o.type() == OpType.OK ? j : -1;
          break;
        }
      }
      if (done < 0) {
        continue;
      }
      String seen = (String) ops.get(done).value();
      // Ok appends on the key completed before the get began; they are all in what it saw.
      List<String> before = new ArrayList<>();
      for (int j = 0; j < getInvoke; j++) {
        Op o = ops.get(j);
        if (o.type() == OpType.OK && o.f().equals("append") && o.key().equals(inv.key())) {
          before.add((String) o.value());
        }
      }
      if (before.isEmpty()) {
        continue;
      }
      String token = before.get(rnd.nextInt(before.size()));
      int at = seen.indexOf(token);
      if (at < 0) {
        throw new IllegalStateException("generator: " + token + " missing from " + seen);
      }
      String changed = seen.substring(0, at) + seen.substring(at + token.length());
      ops.set(done, ops.get(done).withValue(changed));
      return;
    }
    throw new IllegalStateException("generator: no get to corrupt");
  }
}
