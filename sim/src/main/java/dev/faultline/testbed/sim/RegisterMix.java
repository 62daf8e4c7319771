package dev.faultline.testbed.sim;

import dev.faultline.workloads.Command;
import dev.faultline.workloads.Generator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulator's own register mix ({@code --workload registers}): read (40%), write (40%) of a
 * value never written before, and cas (20%) from one of the two latest values written to the key
 * (or, one time in eight, from a value never written, so it fails). Unique values make a stale read
 * stand out, which is why it is the default.
 */
final class RegisterMix implements Generator {
  /** Never written: every written value is at least 1,000,001. */
  private static final long NEVER_WRITTEN = 0;

  private final SplittableRandom random;
  private final int keys;
  private final List<List<Long>> written = new ArrayList<>();
  private final LinkedHashSet<String> touched = new LinkedHashSet<>();
  private long counter = 1_000_000;

  RegisterMix(SplittableRandom random, int keys) {
    this.random = random;
    this.keys = keys;
    for (int k = 0; k < keys; k++) {
      written.add(new ArrayList<>());
    }
  }

  @Override
  public Command next() {
    double roll = random.nextDouble();
    int k = random.nextInt(keys);
    String key = "k" + k;
    touched.add(key);
    if (roll < 0.4) {
      return new Command.Read(key);
    }
    long value = ++counter;
    List<Long> seen = written.get(k);
    Command c;
    if (roll < 0.8) {
      c = new Command.Write(key, value);
    } else {
      long expected =
          seen.isEmpty() || random.nextInt(8) == 0
              ? NEVER_WRITTEN
              : seen.get(seen.size() - 1 - random.nextInt(Math.min(2, seen.size())));
      c = new Command.Cas(key, expected, value);
    }
    seen.add(value);
    return c;
  }

  @Override
  public List<Command> finalReads() {
    List<Command> reads = new ArrayList<>();
    for (String key : touched) {
      reads.add(new Command.Read(key));
    }
    return reads;
  }
}
