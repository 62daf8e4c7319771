package dev.faultline.testbed.plan;

import dev.faultline.nemesis.Fault;
import dev.faultline.nemesis.faults.ClockFault;
import dev.faultline.nemesis.faults.Target;
import dev.faultline.nemesis.faults.Targets;
import dev.faultline.nemesis.net.Grudge;
import dev.faultline.nemesis.net.Grudges;
import dev.faultline.nemesis.toxiproxy.Link;
import dev.faultline.nemesis.toxiproxy.ToxicFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Turns a scheduled fault kind into a concrete {@link Fault}: the partition's shape, which nodes a
 * crash or pause hits, which WAL damage, which clock. A pure function of its seeded generator, the
 * node ids and the leader known when the window opens, so a seed replays the same choices (only
 * "the leader" depends on how the cluster behaved).
 */
public final class FaultPlanner {
  /** The partition shapes, in the manner of Jepsen's partitioners. */
  public enum Shape {
    LEADER_MINORITY,
    RANDOM_HALVES,
    ISOLATE_ONE,
    ISOLATE_LEADER,
    MAJORITIES_RING,
    BRIDGE,
    ONE_WAY;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private static final int TRUNCATE_MAX_BYTES = 512;
  private static final int FLIP_TAIL_BYTES = 256;

  private final List<String> nodes;
  private final RandomGenerator rng;

  public FaultPlanner(List<String> nodes, RandomGenerator rng) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a fault plan needs at least one node");
    }
    this.nodes = List.copyOf(nodes);
    this.rng = rng;
  }

  /**
   * The nemesis fault to inject for {@code kind} now, given the leader the cluster names (if any).
   *
   * @throws IllegalArgumentException for a link fault ({@link FaultKind#onLinks}): see {@link
   *     #planned}
   */
  public Fault plan(FaultKind kind, Optional<String> leader) {
    return switch (kind) {
      case PARTITION -> partition(leader, false);
      case PARTITION_LEADER -> partition(leader, true);
      case KILL -> withTarget(Fault.Kind.KILL, leader);
      case PAUSE -> withTarget(Fault.Kind.PAUSE, leader);
      case DISK -> disk();
      case CLOCK -> clock();
      case LATENCY, BANDWIDTH, FLAKY ->
          throw new IllegalArgumentException(
              kind.cliName() + " acts on links: plan it with planned");
    };
  }

  /** The fault to inject for {@code kind} now, on nodes or on peer links. */
  public PlannedFault planned(FaultKind kind, Optional<String> leader) {
    if (!kind.onLinks()) {
      return new PlannedFault.OnNodes(plan(kind, leader));
    }
    List<Link> links = links();
    return new PlannedFault.OnLinks(
        switch (kind) {
          case LATENCY -> {
            long ms = 50 + rng.nextInt(451);
            yield ToxicFault.latency(
                links, Duration.ofMillis(ms), Duration.ofMillis(rng.nextInt((int) ms / 2 + 1)));
          }
          case BANDWIDTH -> ToxicFault.bandwidth(links, 1 + rng.nextInt(64));
          case FLAKY ->
              ToxicFault.flaky(
                  links, Duration.ofMillis(rng.nextInt(1001)), 0.1 + 0.9 * rng.nextDouble());
          default -> throw new IllegalArgumentException(kind.cliName() + " is not a link fault");
        });
  }

  /**
   * The links a link fault hits: every link to and from one random node, or, half the time, every
   * link of the cluster.
   */
  private List<Link> links() {
    if (nodes.size() < 2) {
      throw new IllegalArgumentException("a link fault needs at least 2 nodes, got " + nodes);
    }
    List<String> hit = rng.nextBoolean() ? nodes : List.of(nodes.get(rng.nextInt(nodes.size())));
    var links = new ArrayList<Link>();
    for (String from : nodes) {
      for (String to : nodes) {
        if (!from.equals(to) && (hit.contains(from) || hit.contains(to))) {
          links.add(new Link(from, to));
        }
      }
    }
    return links;
  }

  /**
   * The shapes the plain partition draws from when it does not strand the leader (which it does in
   * half its windows when the leader is known, with {@link Shape#LEADER_MINORITY}).
   */
  public List<Shape> shapes() {
    var shapes = new ArrayList<Shape>();
    if (nodes.size() >= 2) {
      shapes.addAll(
          List.of(Shape.RANDOM_HALVES, Shape.ISOLATE_ONE, Shape.ISOLATE_LEADER, Shape.ONE_WAY));
    }
    if (nodes.size() >= 3) {
      shapes.addAll(List.of(Shape.MAJORITIES_RING, Shape.BRIDGE));
    }
    return shapes;
  }

  private Fault partition(Optional<String> leader, boolean leaderOnly) {
    List<Shape> shapes = shapes();
    if (shapes.isEmpty()) {
      throw new IllegalArgumentException("a partition needs at least 2 nodes, got " + nodes);
    }
    Optional<String> known = leader.filter(nodes::contains);
    Shape shape;
    if (leaderOnly) {
      shape = known.isPresent() ? Shape.ISOLATE_LEADER : Shape.ISOLATE_ONE;
    } else if (known.isPresent() && rng.nextBoolean()) {
      // Half the windows strand the leader in a minority (as Jepsen's random halves do about half
      // the time): the fault that exposes a leader serving what it no longer owns.
      shape = Shape.LEADER_MINORITY;
    } else {
      shape = shapes.get(rng.nextInt(shapes.size()));
      if (shape == Shape.ISOLATE_LEADER && known.isEmpty()) {
        shape = Shape.ISOLATE_ONE;
      }
    }
    Grudge grudge =
        switch (shape) {
          case LEADER_MINORITY -> Grudges.leaderMinority(nodes, known.orElseThrow(), rng);
          case RANDOM_HALVES -> Grudges.randomHalves(nodes, rng);
          case ISOLATE_ONE -> Grudges.isolateOne(nodes, rng);
          case ISOLATE_LEADER -> Grudges.isolateLeader(nodes, leader);
          case MAJORITIES_RING -> Grudges.majoritiesRing(nodes, rng);
          case BRIDGE -> Grudges.bridge(nodes, rng);
          case ONE_WAY -> Grudges.oneWay(nodes, rng);
        };
    var params = new LinkedHashMap<String, Object>();
    params.put("grudge", grudge.asValue());
    params.put("shape", shape.label());
    return new Fault(Fault.Kind.PARTITION, List.copyOf(grudge.nodes()), params);
  }

  private Fault withTarget(Fault.Kind kind, Optional<String> leader) {
    var targets = new ArrayList<>(List.of(Target.ONE, Target.MAJORITY, Target.LEADER, Target.ALL));
    if (nodes.size() >= 3) {
      targets.add(1, Target.MINORITY);
    }
    Target target = targets.get(rng.nextInt(targets.size()));
    if (target == Target.LEADER && leader.filter(nodes::contains).isEmpty()) {
      target = Target.ONE;
    }
    List<String> hit = Targets.pick(target, nodes, leader, rng);
    return new Fault(kind, hit, Map.of("target", target.name().toLowerCase(java.util.Locale.ROOT)));
  }

  private Fault disk() {
    String node = nodes.get(rng.nextInt(nodes.size()));
    if (rng.nextBoolean()) {
      return Fault.walTruncate(node, TRUNCATE_MAX_BYTES);
    }
    return Fault.walBitflip(node, 1 + rng.nextInt(4), FLIP_TAIL_BYTES);
  }

  private Fault clock() {
    String node = nodes.get(rng.nextInt(nodes.size()));
    ClockFault clock =
        switch (rng.nextInt(3)) {
          case 0 -> ClockFault.offset(Duration.ofSeconds(60 + rng.nextInt(3600)));
          case 1 -> ClockFault.offset(Duration.ofSeconds(-(60 + rng.nextInt(3600))));
          default -> ClockFault.rate(rng.nextBoolean() ? 2.0 : 0.5);
        };
    return Fault.clock(List.of(node), clock);
  }
}
