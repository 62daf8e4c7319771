package dev.faultline.testbed.run;

import java.util.SplittableRandom;

/**
 * Every random stream of a run, split from one {@link SplittableRandom} made from the run's seed,
 * in a fixed order: the fault schedule, the fault planner, the nemesis, the op generator. Split
 * streams are statistically independent of one another, so the schedule's draws no longer repeat
 * the generator's (they did when each started from {@code new SplittableRandom(seed)}), and the
 * same seed still replays every stream.
 */
public final class RunSeeds {
  private final SplittableRandom schedule;
  private final SplittableRandom planner;
  private final SplittableRandom nemesis;
  private final long generator;

  private RunSeeds(long seed) {
    var root = new SplittableRandom(seed);
    this.schedule = root.split();
    this.planner = root.split();
    this.nemesis = root.split();
    // The workloads' generators take a long seed and make their own SplittableRandom from it.
    this.generator = root.split().nextLong();
  }

  public static RunSeeds of(long seed) {
    return new RunSeeds(seed);
  }

  /** The stream that times the fault windows and draws their kinds. */
  public SplittableRandom schedule() {
    return schedule;
  }

  /** The stream that shapes each fault (which nodes, which partition, which damage). */
  public SplittableRandom planner() {
    return planner;
  }

  /** The stream the nemesis draws its own choices from. */
  public SplittableRandom nemesis() {
    return nemesis;
  }

  /** The seed of the workload's op generator. */
  public long generator() {
    return generator;
  }
}
