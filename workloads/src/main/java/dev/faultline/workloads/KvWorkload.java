package dev.faultline.workloads;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Independent registers: a few keys are live at a time, each receives register ops until its budget
 * is spent, then is retired and replaced by a fresh key ({@code k0}, {@code k1}, ...). Short
 * per-key histories keep the checker's search small, as Jepsen's independent keys do.
 */
public final class KvWorkload implements Workload {

  @Override
  public String name() {
    return "kv";
  }

  @Override
  public Optional<String> checkerModel() {
    return Optional.of("kv");
  }

  @Override
  public Generator generator(long seed, WorkloadOptions options) {
    return new KeyRotation(new SplittableRandom(seed), options);
  }

  /** The live keys and their remaining budgets. */
  private static final class KeyRotation implements Generator {
    private final SplittableRandom random;
    private final int opsPerKey;
    private final int range;
    private final String[] live;
    private final int[] remaining;
    private final LinkedHashSet<String> touched = new LinkedHashSet<>();
    private long nextKey;

    KeyRotation(SplittableRandom random, WorkloadOptions options) {
      this.random = random;
      this.opsPerKey = options.opsPerKey();
      this.range = options.valueRange();
      this.live = new String[options.liveKeys()];
      this.remaining = new int[options.liveKeys()];
      for (int i = 0; i < live.length; i++) {
        live[i] = "k" + nextKey++;
        remaining[i] = opsPerKey;
      }
    }

    @Override
    public Command next() {
      int slot = random.nextInt(live.length);
      String key = live[slot];
      touched.add(key);
      if (--remaining[slot] == 0) {
        live[slot] = "k" + nextKey++;
        remaining[slot] = opsPerKey;
      }
      return RegisterWorkload.randomOp(random, key, range);
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
