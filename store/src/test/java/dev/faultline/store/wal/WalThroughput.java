package dev.faultline.store.wal;

import dev.faultline.raft.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Measures WAL append + sync throughput: batches of 1,000 entries of 300 bytes, one sync per batch.
 * Not a test; run by hand (the figure goes in docs/PERFORMANCE.md):
 *
 * <pre>
 * java -cp store/target/classes:store/target/test-classes:raft/target/classes:SLF4J_API_JAR \
 *   dev.faultline.store.wal.WalThroughput [dir] [batches]
 * </pre>
 *
 * The directory must be on a real disk (not tmpfs), or the fsyncs cost nothing.
 */
public final class WalThroughput {
  private WalThroughput() {}

  public static void main(String[] args) throws IOException {
    Path base = Path.of(args.length > 0 ? args[0] : "store/target/wal-throughput");
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int perBatch = 1000;
    int size = 300;
    Files.createDirectories(base);
    Path dir = Files.createTempDirectory(base, "run");
    Random rnd = new Random(1);
    List<List<Entry>> work = new ArrayList<>();
    long index = 1;
    for (int b = 0; b < batches; b++) {
      List<Entry> batch = new ArrayList<>(perBatch);
      for (int i = 0; i < perBatch; i++) {
        byte[] data = new byte[size];
        rnd.nextBytes(data);
        batch.add(new Entry(index++, 1, Entry.Type.COMMAND, data));
      }
      work.add(batch);
    }
    long[] latencies = new long[batches];
    long deadline = System.nanoTime() + 120_000_000_000L;
    int done = 0;
    long start = System.nanoTime();
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      for (List<Entry> batch : work) {
        long t0 = System.nanoTime();
        log.append(batch);
        log.sync();
        latencies[done++] = System.nanoTime() - t0;
        if (System.nanoTime() > deadline) {
          break;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long entries = (long) done * perBatch;
    java.util.Arrays.sort(latencies, 0, done);
    System.out.printf(
        "WAL append+sync: %d batches x %d entries x %d B in %.2f s: %.0f entries/s, %.1f MB/s,"
            + " %.0f syncs/s; batch latency p50 %.2f ms, p99 %.2f ms%n",
        done,
        perBatch,
        size,
        seconds,
        entries / seconds,
        entries * (size + 25) / seconds / 1e6,
        done / seconds,
        latencies[done / 2] / 1e6,
        latencies[Math.min(done - 1, (int) (done * 0.99))] / 1e6);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
