package dev.faultline.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class GrudgeShapesTest {

  static List<String> nodes(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "n" + i).toList();
  }

  /** The nodes {@code node} hears, itself included. */
  static Set<String> view(Grudge g, List<String> nodes, String node) {
    var view = new TreeSet<>(nodes);
    view.removeAll(g.dropsFrom(node));
    return view;
  }

  @Property
  void randomHalvesAreDisjointCoverAndCutEachOtherBothWays(
      @ForAll @IntRange(min = 2, max = 11) int n, @ForAll long seed) {
    var nodes = nodes(n);
    Grudge g = Grudges.randomHalves(nodes, new SplittableRandom(seed));
    var views = new HashSet<Set<String>>();
    nodes.forEach(node -> views.add(view(g, nodes, node)));
    assertThat(views).hasSize(2);
    var union = new TreeSet<String>();
    views.forEach(union::addAll);
    assertThat(union).containsExactlyElementsOf(new TreeSet<>(nodes));
    assertThat(views.stream().mapToInt(Set::size).sum()).isEqualTo(n);
    for (String a : nodes) {
      for (String b : nodes) {
        assertThat(g.cuts(a, b)).isEqualTo(g.cuts(b, a));
      }
    }
  }

  @Property
  void majoritiesRingGivesEveryNodeADistinctMajority(
      @ForAll @IntRange(min = 3, max = 11) int n, @ForAll long seed) {
    var nodes = nodes(n);
    Grudge g = Grudges.majoritiesRing(nodes, new SplittableRandom(seed));
    var views = new HashSet<Set<String>>();
    for (String node : nodes) {
      Set<String> view = view(g, nodes, node);
      assertThat(view).contains(node).hasSize(n / 2 + 1);
      views.add(view);
    }
    assertThat(views).as("no two nodes see the same majority").hasSize(n);
  }

  @Property
  void bridgeNodeHearsBothHalvesWhichCannotHearEachOther(
      @ForAll @IntRange(min = 3, max = 11) int n, @ForAll long seed) {
    var nodes = nodes(n);
    Grudge g = Grudges.bridge(nodes, new SplittableRandom(seed));
    var bridges = nodes.stream().filter(node -> g.dropsFrom(node).isEmpty()).toList();
    assertThat(bridges).hasSize(1);
    String bridge = bridges.get(0);
    for (String node : nodes) {
      assertThat(g.cuts(node, bridge)).isFalse();
      assertThat(g.cuts(bridge, node)).isFalse();
    }
    var others = nodes.stream().filter(node -> !node.equals(bridge)).toList();
    var sides = new HashSet<Set<String>>();
    others.forEach(node -> sides.add(view(g, others, node)));
    assertThat(sides).hasSize(2);
    assertThat(sides.stream().mapToInt(Set::size).sum()).isEqualTo(n - 1);
  }

  @Property
  void oneWaySplitIsAsymmetric(@ForAll @IntRange(min = 2, max = 11) int n, @ForAll long seed) {
    var nodes = nodes(n);
    Grudge g = Grudges.oneWay(nodes, new SplittableRandom(seed));
    assertThat(g.isEmpty()).isFalse();
    for (String a : nodes) {
      for (String b : nodes) {
        if (g.cuts(a, b)) {
          assertThat(g.cuts(b, a)).as("%s hears %s", a, b).isFalse();
        }
      }
    }
    assertThat(g.drops().keySet()).hasSize(n / 2);
  }

  @Property
  void isolatingOneCutsExactlyOneNodeFromAllOthers(
      @ForAll @IntRange(min = 2, max = 11) int n, @ForAll long seed) {
    var nodes = nodes(n);
    Grudge g = Grudges.isolateOne(nodes, new SplittableRandom(seed));
    var isolated = nodes.stream().filter(node -> view(g, nodes, node).size() == 1).toList();
    assertThat(isolated).hasSize(n == 2 ? 2 : 1);
    String lonely = isolated.get(0);
    for (String other : nodes) {
      if (!other.equals(lonely)) {
        assertThat(g.cuts(other, lonely)).isTrue();
        assertThat(g.cuts(lonely, other)).isTrue();
      }
    }
  }

  @Property
  void sameSeedGivesSameGrudge(@ForAll @IntRange(min = 3, max = 9) int n, @ForAll long seed) {
    var nodes = nodes(n);
    assertThat(Grudges.majoritiesRing(nodes, new SplittableRandom(seed)))
        .isEqualTo(Grudges.majoritiesRing(nodes, new SplittableRandom(seed)));
    assertThat(Grudges.bridge(nodes, new SplittableRandom(seed)))
        .isEqualTo(Grudges.bridge(nodes, new SplittableRandom(seed)));
  }

  @Property
  void everyShapeRoundTripsThroughItsText(
      @ForAll @IntRange(min = 3, max = 9) int n, @ForAll long seed) {
    var nodes = nodes(n);
    for (Grudge g :
        List.of(
            Grudges.randomHalves(nodes, new SplittableRandom(seed)),
            Grudges.majoritiesRing(nodes, new SplittableRandom(seed)),
            Grudges.bridge(nodes, new SplittableRandom(seed)),
            Grudges.oneWay(nodes, new SplittableRandom(seed)))) {
      assertThat(Grudge.parse(g.toString())).isEqualTo(g);
    }
  }

  @Property(tries = 20)
  void leaderIsolationIsolatesTheLeaderOrNothing(@ForAll @IntRange(min = 1, max = 5) int leader) {
    var nodes = nodes(5);
    Grudge g = Grudges.isolateLeader(nodes, Optional.of("n" + leader));
    assertThat(view(g, nodes, "n" + leader)).containsExactly("n" + leader);
    assertThat(Grudges.isolateLeader(nodes, Optional.empty())).isEqualTo(Grudge.NONE);
  }

  @Property(tries = 5)
  void shapesRefuseTooFewNodes(@ForAll long seed) {
    assertThatThrownBy(() -> Grudges.majoritiesRing(nodes(2), new SplittableRandom(seed)))
        .hasMessageContaining("a majorities ring needs at least 3 nodes, got 2");
    assertThatThrownBy(() -> Grudges.bridge(nodes(2), new SplittableRandom(seed)))
        .hasMessageContaining("a bridge needs at least 3 nodes");
    assertThatThrownBy(() -> Grudges.isolate(nodes(3), "n9"))
        .hasMessageContaining("cannot isolate n9");
  }

  @Property
  void aLeaderMinorityHoldsTheLeaderAndLessThanHalfTheNodesCutOffBothWays(
      @ForAll @IntRange(min = 2, max = 11) int n,
      @ForAll @IntRange(min = 1, max = 11) int leaderIndex,
      @ForAll long seed) {
    var nodes = nodes(n);
    String leader = nodes.get((leaderIndex - 1) % n);
    Grudge g = Grudges.leaderMinority(nodes, leader, new SplittableRandom(seed));
    Set<String> side = view(g, nodes, leader);
    assertThat(side).contains(leader);
    assertThat(side.size()).isBetween(1, Math.max(1, (n - 1) / 2));
    for (String node : nodes) {
      Set<String> expected = side.contains(node) ? side : complement(nodes, side);
      assertThat(view(g, nodes, node)).isEqualTo(expected);
    }
  }

  private static Set<String> complement(List<String> nodes, Set<String> side) {
    var rest = new TreeSet<>(nodes);
    rest.removeAll(side);
    return rest;
  }

  @org.junit.jupiter.api.Test
  void aLeaderMinorityNeedsTheLeaderToBeANode() {
    assertThatThrownBy(() -> Grudges.leaderMinority(nodes(3), "n9", new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n9");
  }
}
