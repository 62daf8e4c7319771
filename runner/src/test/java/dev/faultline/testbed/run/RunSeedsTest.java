package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.testbed.plan.FaultSchedule;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RunSeedsTest {
  private static List<Long> draws(SplittableRandom r) {
    return LongStream.range(0, 8).map(i -> r.nextLong()).boxed().toList();
  }

  @Test
  void noTwoStreamsOfARunDrawTheSameSequence() {
    RunSeeds seeds = RunSeeds.of(8871238774744800324L);
    List<Long> schedule = draws(seeds.schedule());
    List<Long> planner = draws(seeds.planner());
    List<Long> nemesis = draws(seeds.nemesis());
    List<Long> generator = draws(new SplittableRandom(seeds.generator()));

    assertThat(List.of(schedule, planner, nemesis, generator)).doesNotHaveDuplicates();
    // The generator's stream is not the one a bare seed would give either.
    assertThat(generator).isNotEqualTo(draws(new SplittableRandom(8871238774744800324L)));
  }

  @Test
  void theSameSeedGivesTheSameStreams() {
    RunSeeds a = RunSeeds.of(5);
    RunSeeds b = RunSeeds.of(5);
    assertThat(draws(a.schedule())).isEqualTo(draws(b.schedule()));
    assertThat(draws(a.planner())).isEqualTo(draws(b.planner()));
    assertThat(draws(a.nemesis())).isEqualTo(draws(b.nemesis()));
    assertThat(a.generator()).isEqualTo(b.generator());
    assertThat(RunSeeds.of(6).generator()).isNotEqualTo(a.generator());
  }

  @Test
  void theScheduleDrawnFromItsStreamIsReplayedBySeed() {
    var faults = List.of(FaultKind.PARTITION, FaultKind.KILL, FaultKind.PAUSE);
    var limit = Duration.ofSeconds(60);
    var interval = Duration.ofSeconds(10);
    var first = FaultSchedule.plan(RunSeeds.of(9).schedule(), limit, interval, faults);
    var again = FaultSchedule.plan(RunSeeds.of(9).schedule(), limit, interval, faults);
    assertThat(first).isNotEmpty().isEqualTo(again);
  }
}
