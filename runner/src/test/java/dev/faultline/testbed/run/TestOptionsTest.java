package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestOptionsTest {
  private static TestOptions options() {
    return new TestOptions(
        3,
        "kv",
        NemesisChoice.parse("partition", false),
        Duration.ofSeconds(30),
        5,
        100,
        "http",
        7,
        Optional.of("stale-read"),
        2,
        Path.of("runs"),
        Duration.ofSeconds(10),
        Duration.ofSeconds(4));
  }

  @Test
  void anotherSeedReplacesOnlyTheLoadAndKeepsTheOtherGroups() {
    TestOptions o = options();

    TestOptions other = o.withSeed(8);

    assertThat(other.seed()).isEqualTo(8);
    assertThat(other.load()).isEqualTo(o.load().withSeed(8));
    assertThat(other.cluster()).isSameAs(o.cluster());
    assertThat(other.faults()).isSameAs(o.faults());
    assertThat(other.runs()).isSameAs(o.runs());
    assertThat(other.backend()).isSameAs(o.backend());
    assertThat(other.system()).isSameAs(o.system());
  }

  @Test
  void optionsGivenOneByOneLandInTheirGroups() {
    TestOptions o = options();

    assertThat(o.cluster()).isEqualTo(new TestOptions.Cluster(3, Optional.of("stale-read")));
    assertThat(o.load())
        .isEqualTo(new TestOptions.Load("kv", Duration.ofSeconds(30), 5, 100, "http", 7));
    assertThat(o.faults().interval()).isEqualTo(Duration.ofSeconds(4));
    assertThat(o.faults().recoveryWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.runs()).isEqualTo(new TestOptions.Runs(2, Path.of("runs")));
  }

  @Test
  void testJsonKeepsItsKeysInTheirOrder() {
    assertThat(options().toMap().keySet())
        .startsWith(
            "nodes",
            "workload",
            "nemesis",
            "faults",
            "time_limit_s",
            "concurrency",
            "rate",
            "protocol",
            "seed",
            "bug",
            "test_count",
            "store",
            "recovery_wait_s",
            "interval_s");
  }

  @Test
  void aGroupIsCheckedAgainstTheOthers() {
    TestOptions o = options();

    assertThatThrownBy(
            () ->
                new TestOptions(
                    new TestOptions.Cluster(1, Optional.empty()),
                    o.load(),
                    o.faults(),
                    o.runs(),
                    o.backend(),
                    o.system()))
        .hasMessageContaining("--nemesis partition needs --nodes 2 or more");
  }
}
