package dev.faultline.testbed;

import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.histories.format.OpWriter;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded, well-paired key-value history of reads, writes and compare-and-sets by a fixed number
 * of concurrent clients, with occasional partitions, for measuring readers. The same seed and size
 * give the same ops.
 */
final class SyntheticKvHistory {
  private static final int CLIENTS = 16;
  private static final int KEYS = 1000;
  private static final String[] NODES = {"n1", "n2", "n3", "n4", "n5"};

  private SyntheticKvHistory() {}

  /** Writes {@code count} ops generated from {@code seed} to {@code out}. */
  static void write(long seed, int count, OpWriter out) throws IOException {
    Random rnd = new Random(seed);
    long[] processOf = new long[CLIENTS];
    for (int c = 0; c < CLIENTS; c++) {
      processOf[c] = c;
    }
    long nextProcess = CLIENTS;
    Map<Integer, Op> open = new HashMap<>();
    long time = 0;
    boolean partitioned = false;
    for (int i = 0; i < count; i++) {
      time += 1 + rnd.nextInt(20_000);
      if (i % 10_000 == 9_999) {
        partitioned = !partitioned;
        Object value = partitioned ? Map.of("n1", List.of("n2", "n3")) : null;
        String f = partitioned ? "start-partition" : "stop-partition";
        out.write(new Op(i, time, Op.NEMESIS, OpType.INFO, f, null, value, null, null));
        continue;
      }
      int client = rnd.nextInt(CLIENTS);
      Op inv = open.remove(client);
      if (inv == null) {
        String key = "k" + rnd.nextInt(KEYS);
        int pick = rnd.nextInt(10);
        String f = pick < 5 ? "read" : pick < 8 ? "write" : "cas";
        Object value =
            switch (f) {
              case "read" -> null;
              case "write" -> (long) rnd.nextInt(100);
              default -> List.of((long) rnd.nextInt(100), (long) rnd.nextInt(100));
            };
        inv = new Op(i, time, processOf[client], OpType.INVOKE, f, key, value, null, null);
        open.put(client, inv);
        out.write(inv);
        continue;
      }
      int roll = rnd.nextInt(100);
      OpType type = roll < 85 ? OpType.OK : roll < 95 ? OpType.FAIL : OpType.INFO;
      Object value =
          inv.f().equals("read") && type == OpType.OK
              ? (Object) (long) rnd.nextInt(100)
              : inv.value();
      String error = type == OpType.INFO ? "timeout" : type == OpType.FAIL ? "cas-mismatch" : null;
      String node = NODES[rnd.nextInt(NODES.length)];
      out.write(new Op(i, time, inv.process(), type, inv.f(), inv.key(), value, node, error));
      if (type == OpType.INFO) {
        // Jepsen's rule: a process whose op has an unknown outcome never issues again.
        processOf[client] = nextProcess++;
      }
    }
  }
}
