package dev.faultline.workloads;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Keys created and deleted in waves: the live population grows to {@code high} keys by writes, then
 * shrinks to {@code low} by deletes (oldest first), and again. Every write and every delete is read
 * back {@code lag} ops later, so a write or delete the store silently undoes shows as a read of an
 * older state. The waves empty the store's shards below half their peak over and over, which is
 * what makes it rebuild them (the store's memory reclamation); judged per key by the {@code kv}
 * model.
 *
 * <p>Key names come from a pool of {@code 2 * high} names ({@code c0}, {@code c1}, ...) reused in
 * turn: a name is written again only after its previous incarnation was deleted and read back, so
 * each name's history stays short and the final reads stay bounded.
 */
public final class ChurnWorkload implements Workload {
  /** Live keys at the crest of a wave: about 64 per shard of the store's default 16. */
  public static final int DEFAULT_HIGH = 1024;

  /** Live keys at the trough: under half the crest in nearly every shard. */
  public static final int DEFAULT_LOW = 384;

  /** Ops between a write or delete and its read-back: long after any rebuild it set off ended. */
  public static final int DEFAULT_LAG = 64;

  private final int high;
  private final int low;
  private final int lag;

  public ChurnWorkload() {
    this(DEFAULT_HIGH, DEFAULT_LOW, DEFAULT_LAG);
  }

  /**
   * @param high live keys at which writing stops and deleting starts
   * @param low live keys at which deleting stops and writing starts, {@code 0 <= low < high}
   * @param lag ops between a write or delete and the read of its key, at most {@code high}
   */
  public ChurnWorkload(int high, int low, int lag) {
    if (high < 1 || low < 0 || low >= high) {
      throw new IllegalArgumentException(
          "churn needs 0 <= low < high and high >= 1, was low " + low + ", high " + high);
    }
    if (lag < 1 || lag > high) {
      throw new IllegalArgumentException("churn lag must be within 1.." + high + ", was " + lag);
    }
    this.high = high;
    this.low = low;
    this.lag = lag;
  }

  @Override
  public String name() {
    return "churn";
  }

  @Override
  public Optional<String> checkerModel() {
    return Optional.of("kv");
  }

  @Override
  public Generator generator(long seed, WorkloadOptions options) {
    return new Waves(new SplittableRandom(seed), options.valueRange(), high, low, lag);
  }

  /** The wave state: keys {@code [deleted, created)} are live. */
  private static final class Waves implements Generator {
    private final SplittableRandom random;
    private final int range;
    private final int high;
    private final int low;
    private final int lag;
    private final long pool;

    /** Read-backs owed: {due op number, key id}, due numbers ascending. */
    private final ArrayDeque<long[]> readBacks = new ArrayDeque<>();

    private final LinkedHashSet<String> touched = new LinkedHashSet<>();
    private long created;
    private long deleted;
    private long issued;
    private boolean growing = true;

    Waves(SplittableRandom random, int range, int high, int low, int lag) {
      this.random = random;
      this.range = range;
      this.high = high;
      this.low = low;
      this.lag = lag;
      this.pool = 2L * high;
    }

    @Override
    public Command next() {
      issued++;
      Command c;
      if (!readBacks.isEmpty() && readBacks.peekFirst()[0] <= issued) {
        c = new Command.Read(name(readBacks.pollFirst()[1]));
      } else if (growing) {
        long id = created++;
        readBacks.addLast(new long[] {issued + lag, id});
        growing = created - deleted < high;
        c = new Command.Write(name(id), random.nextInt(range));
      } else {
        long id = deleted++;
        readBacks.addLast(new long[] {issued + lag, id});
        growing = created - deleted <= low;
        c = new Command.Delete(name(id));
      }
      touched.add(c.key());
      return c;
    }

    /**
     * A name is reused {@code 2 * high} creations later; by then its previous incarnation was
     * deleted at least {@code high} ops earlier, so its read-back ({@code lag <= high}) is done.
     */
    private String name(long id) {
      return "c" + (id % pool);
    }

    @Override
    public List<Command> finalReads() {
      List<Command> reads = new ArrayList<>(touched.size());
      for (String key : touched) {
        reads.add(new Command.Read(key));
      }
      return reads;
    }
  }
}
