package dev.faultline.workloads;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One integer register (key {@code r}) under reads, writes and compare-and-sets of small values, a
 * third each.
 */
public final class RegisterWorkload implements Workload {
  static final String KEY = "r";

  @Override
  public String name() {
    return "register";
  }

  @Override
  public Optional<String> checkerModel() {
    return Optional.of("cas-register");
  }

  @Override
  public Generator generator(long seed, WorkloadOptions options) {
    SplittableRandom random = new SplittableRandom(seed);
    int range = options.valueRange();
    return new Generator() {
      private boolean touched;

      @Override
      public Command next() {
        touched = true;
        return randomOp(random, KEY, range);
      }

      @Override
      public List<Command> finalReads() {
        return touched ? List.of(new Command.Read(KEY)) : List.of();
      }
    };
  }

  /**
   * A read, write or compare-and-set of {@code key}, equally likely, values below {@code range}.
   */
  static Command randomOp(SplittableRandom random, String key, int range) {
    return switch (random.nextInt(3)) {
      case 0 -> new Command.Read(key);
      case 1 -> new Command.Write(key, random.nextInt(range));
      default -> new Command.Cas(key, random.nextInt(range), random.nextInt(range));
    };
  }
}
