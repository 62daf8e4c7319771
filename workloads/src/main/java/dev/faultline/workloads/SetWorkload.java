package dev.faultline.workloads;

import dev.faultline.histories.History;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Adds unique integers (0, 1, 2, ...) to a set stored as a list under one key (or spread over a
 * few), interleaved with reads of the whole set. Every add carries an element no other add has, so
 * an acknowledged add missing from the final read is a lost write, and an element read twice is a
 * duplicate. Judged by {@link SetAnalysis}.
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
    int keys = options.setKeys();
    int readPercent = options.readPercent();
    return new Generator() {
      private final LinkedHashSet<String> touched = new LinkedHashSet<>();
      private long nextElement;

      @Override
      public Command next() {
        if (random.nextInt(100) < readPercent) {
          String key = keyOf(random.nextInt(keys), keys);
          touched.add(key);
          return new Command.ReadSet(key);
        }
        long element = nextElement++;
        String key = keyOf(element % keys, keys);
        touched.add(key);
        return new Command.Add(key, element);
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

  private static String keyOf(long bucket, int keys) {
    return keys == 1 ? "s" : "s" + bucket;
  }
}
