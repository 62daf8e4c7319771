package dev.faultline.nemesis.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TargetsTest {

  static List<String> nodes(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "n" + i).toList();
  }

  @Property
  void picksTheRightNumberOfDistinctNodesInClusterOrder(
      @ForAll @IntRange(min = 3, max = 11) int n, @ForAll long seed) {
    var nodes = nodes(n);
    for (Target target : List.of(Target.ONE, Target.MINORITY, Target.MAJORITY, Target.ALL)) {
      var picked = Targets.pick(target, nodes, Optional.empty(), new SplittableRandom(seed));
      int expected =
          switch (target) {
            case ONE -> 1;
            case MINORITY -> (n - 1) / 2;
            case MAJORITY -> n / 2 + 1;
            default -> n;
          };
      assertThat(picked).hasSize(expected).doesNotHaveDuplicates();
      assertThat(nodes).containsSubsequence(picked);
    }
  }

  @Property
  void minorityAndMajorityAreOnEitherSideOfHalf(
      @ForAll @IntRange(min = 3, max = 11) int n, @ForAll long seed) {
    var nodes = nodes(n);
    var rng = new SplittableRandom(seed);
    assertThat(2 * Targets.pick(Target.MINORITY, nodes, Optional.empty(), rng).size())
        .isLessThan(n);
    assertThat(2 * Targets.pick(Target.MAJORITY, nodes, Optional.empty(), rng).size())
        .isGreaterThan(n);
  }

  @Property
  void sameSeedPicksTheSameNodes(@ForAll @IntRange(min = 3, max = 9) int n, @ForAll long seed) {
    var nodes = nodes(n);
    assertThat(Targets.pick(Target.MINORITY, nodes, Optional.empty(), new SplittableRandom(seed)))
        .isEqualTo(
            Targets.pick(Target.MINORITY, nodes, Optional.empty(), new SplittableRandom(seed)));
  }

  @Test
  void leaderTargetIsTheLeaderOrNobody() {
    var rng = new SplittableRandom(1);
    assertThat(Targets.pick(Target.LEADER, nodes(3), Optional.of("n2"), rng)).containsExactly("n2");
    assertThat(Targets.pick(Target.LEADER, nodes(3), Optional.empty(), rng)).isEmpty();
    assertThat(Targets.pick(Target.LEADER, nodes(3), Optional.of("n7"), rng)).isEmpty();
  }

  @Test
  void minorityOfTwoNodesIsRefused() {
    assertThatThrownBy(
            () ->
                Targets.pick(Target.MINORITY, nodes(2), Optional.empty(), new SplittableRandom(1)))
        .hasMessage("a strict minority needs at least 3 nodes, got 2: [n1, n2]");
  }

  @Test
  void parsesTargetNamesAndNamesTheChoicesOtherwise() {
    assertThat(Targets.parse(" Majority ")).isEqualTo(Target.MAJORITY);
    assertThatThrownBy(() -> Targets.parse("most"))
        .hasMessage("unknown target 'most': use one of one, minority, majority, leader, all");
  }
}
