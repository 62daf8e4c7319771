package dev.faultline.testbed.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.nemesis.Fault;
import dev.faultline.testbed.run.NemesisChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FaultPlannerTest {
  private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

  private static List<PlannedFault> plan(long seed, List<String> nodes) {
    var planner = new FaultPlanner(nodes, new SplittableRandom(seed));
    var faults = new ArrayList<PlannedFault>();
    for (int i = 0; i < 40; i++) {
      faults.add(
          planner.planned(FaultKind.values()[i % FaultKind.values().length], Optional.of("n2")));
    }
    return faults;
  }

  @Test
  void theSameSeedPlansTheSameFaults() {
    assertThat(plan(7, FIVE)).isEqualTo(plan(7, FIVE));
    assertThat(plan(7, FIVE)).isNotEqualTo(plan(8, FIVE));
  }

  @Test
  void partitionLeaderAlwaysCutsTheLeaderOffFromEveryOtherNode() {
    var planner = new FaultPlanner(FIVE, new SplittableRandom(3));
    for (int i = 0; i < 20; i++) {
      Fault f = planner.plan(FaultKind.PARTITION_LEADER, Optional.of("n4"));
      assertThat(f.kind()).isEqualTo(Fault.Kind.PARTITION);
      assertThat(f.params().get("shape")).isEqualTo("isolate-leader");
      assertThat(f.params().get("grudge").toString()).contains("n4");
    }
    Fault unknownLeader = planner.plan(FaultKind.PARTITION_LEADER, Optional.empty());
    assertThat(unknownLeader.params().get("shape")).isEqualTo("isolate-one");
    assertThat(NemesisChoice.parse("partition-leader", false).needsPartitions()).isTrue();
  }

  @Test
  void partitionsComeInEveryShapeAndOnlyAmongTheNodes() {
    var planner = new FaultPlanner(FIVE, new SplittableRandom(1));
    var shapes = new java.util.HashSet<Object>();
    for (int i = 0; i < 200; i++) {
      Fault f = planner.plan(FaultKind.PARTITION, Optional.of("n3"));
      assertThat(f.kind()).isEqualTo(Fault.Kind.PARTITION);
      assertThat(FIVE).containsAll(f.targets());
      shapes.add(f.params().get("shape"));
    }
    assertThat(shapes)
        .containsExactlyInAnyOrder(
            "leader-minority",
            "random-halves",
            "isolate-one",
            "isolate-leader",
            "majorities-ring",
            "bridge",
            "one-way");
  }

  @Test
  void withoutALeaderTheLeaderShapesFallBackToOneNode() {
    var planner = new FaultPlanner(FIVE, new SplittableRandom(3));
    for (int i = 0; i < 100; i++) {
      Fault kill = planner.plan(FaultKind.KILL, Optional.empty());
      assertThat(kill.params().get("target")).isNotEqualTo("leader");
      assertThat(kill.targets()).isNotEmpty();
      Fault partition = planner.plan(FaultKind.PARTITION, Optional.empty());
      assertThat(partition.params().get("shape")).isNotEqualTo("isolate-leader");
    }
  }

  @Test
  void twoNodesGetNoRingOrBridgeAndDiskFaultsHitOneNode() {
    var two = List.of("n1", "n2");
    var planner = new FaultPlanner(two, new SplittableRandom(5));
    assertThat(planner.shapes())
        .doesNotContain(FaultPlanner.Shape.MAJORITIES_RING, FaultPlanner.Shape.BRIDGE);
    for (int i = 0; i < 50; i++) {
      Fault disk = planner.plan(FaultKind.DISK, Optional.empty());
      assertThat(disk.kind()).isIn(Fault.Kind.WAL_TRUNCATE, Fault.Kind.WAL_BITFLIP);
      assertThat(disk.targets()).hasSize(1);
      Fault clock = planner.plan(FaultKind.CLOCK, Optional.empty());
      assertThat(clock.params()).containsKey("faketime");
    }
  }

  @Test
  void linkFaultsHitEveryLinkOfOneNodeOrOfTheWholeCluster() {
    var planner = new FaultPlanner(List.of("n1", "n2", "n3"), new SplittableRandom(3));
    for (int i = 0; i < 30; i++) {
      FaultKind kind = List.of(FaultKind.LATENCY, FaultKind.BANDWIDTH, FaultKind.FLAKY).get(i % 3);
      PlannedFault f = planner.planned(kind, Optional.empty());

      assertThat(f).isInstanceOf(PlannedFault.OnLinks.class);
      assertThat(f.label()).isEqualTo(kind.cliName());
      var links = ((PlannedFault.OnLinks) f).fault().links();
      assertThat(links.size()).isIn(4, 6);
    }
  }

  @Test
  void aLinkFaultIsNotANemesisFault() {
    var planner = new FaultPlanner(FIVE, new SplittableRandom(1));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> planner.plan(FaultKind.LATENCY, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Whether the leader can still exchange messages both ways with a majority (itself included). */
  private static boolean leaderKeepsAMajority(Fault f, List<String> nodes, String leader) {
    var drops = new java.util.HashMap<String, java.util.Set<String>>();
    ((java.util.Map<?, ?>) f.params().get("grudge"))
        .forEach(
            (receiver, senders) ->
                drops.put(
                    (String) receiver,
                    new java.util.HashSet<>(
                        ((List<?>) senders).stream().map(String.class::cast).toList())));
    var grudge = new dev.faultline.nemesis.net.Grudge(drops);
    long reach =
        nodes.stream()
            .filter(n -> n.equals(leader) || (!grudge.cuts(leader, n) && !grudge.cuts(n, leader)))
            .count();
    return reach > nodes.size() / 2;
  }

  @Test
  void thePlainPartitionStrandsTheLeaderInAboutHalfItsWindowsOrMore() {
    for (List<String> nodes : List.of(List.of("n1", "n2", "n3"), FIVE)) {
      var planner = new FaultPlanner(nodes, new SplittableRandom(11));
      int stranded = 0;
      int windows = 1000;
      for (int i = 0; i < windows; i++) {
        String leader = nodes.get(i % nodes.size());
        Fault f = planner.plan(FaultKind.PARTITION, Optional.of(leader));
        if (!leaderKeepsAMajority(f, nodes, leader)) {
          stranded++;
        }
      }
      assertThat(stranded)
          .as("windows of %d on %s that strand the leader", windows, nodes)
          .isGreaterThan(windows / 2);
    }
  }

  @Test
  void aLeaderMinorityHoldsTheLeaderAndLessThanHalfTheNodes() {
    var planner = new FaultPlanner(FIVE, new SplittableRandom(2));
    int seen = 0;
    for (int i = 0; i < 200; i++) {
      Fault f = planner.plan(FaultKind.PARTITION, Optional.of("n5"));
      if (!"leader-minority".equals(f.params().get("shape"))) {
        continue;
      }
      seen++;
      assertThat(leaderKeepsAMajority(f, FIVE, "n5")).isFalse();
    }
    assertThat(seen).isGreaterThan(50);
  }
}
