package dev.faultline.workloads;

import dev.faultline.histories.History;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Adds unique integers (0, 1, 2, ...) to a set stored as a list under one key, interleaved with
 * reads of the whole set. Every add carries an element no other add has, so an acknowledged add
 * missing from the final read is a lost write, and an element read twice is a duplicate. Each set
 * key ({@code s0}, {@code s1}, ...) takes {@code opsPerKey} adds and is then retired for a fresh
 * one, which bounds the stored value (every add rewrites it) and so the log the cluster must
 * replicate. Judged by {@link SetAnalysis}.
 */
public final class SetWorkload implements Workload {

  @Override
  public String name() {
    return "set";
  }

  @Override
  public Optional<String> checkerModel() {
    return Optional.empty();
  }

  @Override
  public Optional<WorkloadAnalysis> analyze(History history) {
    return Optional.of(SetAnalysis.of(history));
  }

  @Override
  public Generator generator(long seed, WorkloadOptions options) {
    SplittableRandom random = new SplittableRandom(seed);
    int readPercent = options.readPercent();
    int addsPerKey = options.opsPerKey();
    String[] live = new String[options.setKeys()];
    int[] remaining = new int[live.length];
    return new Generator() {
      private final LinkedHashSet<String> touched = new LinkedHashSet<>();
      private long nextElement;
      private long nextKey;

      {
        for (int i = 0; i < live.length; i++) {
          live[i] = "s" + nextKey++;
          remaining[i] = addsPerKey;
        }
      }

      @Override
      public Command next() {
        int slot = random.nextInt(live.length);
        String key = live[slot];
        touched.add(key);
        if (random.nextInt(100) < readPercent) {
          return new Command.ReadSet(key);
        }
        if (--remaining[slot] == 0) {
          live[slot] = "s" + nextKey++;
          remaining[slot] = addsPerKey;
        }
        return new Command.Add(key, nextElement++);
      }

      @Override
      public List<Command> finalReads() {
        List<Command> reads = new ArrayList<>(touched.size());
        for (String key : touched) {
          reads.add(new Command.ReadSet(key));
        }
        return reads;
      }
    };
  }
}
