package dev.faultline.nemesis.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Grudge shapes, in the manner of Jepsen's partition nemeses: pure functions of the node ids, a
 * seeded random generator and, where needed, the current leader. The same inputs give the same
 * grudge.
 */
public final class Grudges {
  private Grudges() {}

  /** Nodes in each component hear only the nodes of their own component. */
  public static Grudge complete(Collection<? extends Collection<String>> components) {
    var drops = new HashMap<String, Set<String>>();
    for (var component : components) {
      for (String node : component) {
        var others = new HashSet<String>();
        for (var other : components) {
          if (other != component) {
            others.addAll(other);
          }
        }
        drops.put(node, others);
      }
    }
    return new Grudge(drops);
  }

  /** Splits the cluster into two random halves (the first has n/2 nodes) that cannot talk. */
  public static Grudge randomHalves(List<String> nodes, RandomGenerator rng) {
    requireAtLeast(nodes, 2, "random halves");
    var shuffled = shuffled(nodes, rng);
    int cut = shuffled.size() / 2;
    return complete(List.of(shuffled.subList(0, cut), shuffled.subList(cut, shuffled.size())));
  }

  /** Cuts {@code isolated} off from every other node, both ways. */
  public static Grudge isolate(List<String> nodes, String isolated) {
    if (!nodes.contains(isolated)) {
      throw new IllegalArgumentException(
          "cannot isolate " + isolated + ": not one of the nodes " + nodes);
    }
    var rest = new ArrayList<>(nodes);
    rest.remove(isolated);
    return complete(List.of(List.of(isolated), rest));
  }

  /**
   * Cuts a random minority that holds {@code leader} off from the rest, both ways: the leader and
   * up to {@code (n-1)/2 - 1} other nodes drawn at random (Jepsen's random halves with the leader
   * placed in the smaller half). The majority can elect a new leader while the old one is stranded.
   */
  public static Grudge leaderMinority(List<String> nodes, String leader, RandomGenerator rng) {
    requireAtLeast(nodes, 2, "a leader minority");
    if (!nodes.contains(leader)) {
      throw new IllegalArgumentException(
          "cannot cut off leader " + leader + ": not one of the nodes " + nodes);
    }
    var others = new ArrayList<>(nodes);
    others.remove(leader);
    others = shuffled(others, rng);
    int largest = Math.max(1, (nodes.size() - 1) / 2);
    int size = 1 + rng.nextInt(largest);
    var minority = new ArrayList<String>();
    minority.add(leader);
    minority.addAll(others.subList(0, size - 1));
    var rest = new ArrayList<>(others.subList(size - 1, others.size()));
    return complete(List.of(minority, rest));
  }

  /** Cuts one random node off from the rest. */
  public static Grudge isolateOne(List<String> nodes, RandomGenerator rng) {
    requireAtLeast(nodes, 2, "isolating one node");
    return isolate(nodes, nodes.get(rng.nextInt(nodes.size())));
  }

  /** Cuts the current leader off from the rest; no grudge when there is no known leader. */
  public static Grudge isolateLeader(List<String> nodes, Optional<String> leader) {
    return leader.map(l -> isolate(nodes, l)).orElse(Grudge.NONE);
  }

  /**
   * Jepsen's majorities ring: the nodes are placed on a random ring and each hears only the window
   * of a bare majority around itself, so every node sees a majority (itself included) and no two
   * nodes see the same majority. Needs at least three nodes.
   */
  public static Grudge majoritiesRing(List<String> nodes, RandomGenerator rng) {
    requireAtLeast(nodes, 3, "a majorities ring");
    var ring = shuffled(nodes, rng);
    int n = ring.size();
    int majority = n / 2 + 1;
    int before = majority / 2;
    var drops = new HashMap<String, Set<String>>();
    for (int i = 0; i < n; i++) {
      var sees = new HashSet<String>();
      for (int k = 0; k < majority; k++) {
        sees.add(ring.get(Math.floorMod(i - before + k, n)));
      }
      var dropped = new HashSet<>(ring);
      dropped.removeAll(sees);
      drops.put(ring.get(i), dropped);
    }
    return new Grudge(drops);
  }

  /**
   * Two halves that cannot talk, joined by one bridge node that hears and is heard by both. Needs
   * at least three nodes.
   */
  public static Grudge bridge(List<String> nodes, RandomGenerator rng) {
    requireAtLeast(nodes, 3, "a bridge");
    var shuffled = shuffled(nodes, rng);
    String bridge = shuffled.remove(0);
    int cut = shuffled.size() / 2;
    var left = shuffled.subList(0, cut);
    var right = shuffled.subList(cut, shuffled.size());
    var drops = new HashMap<String, Set<String>>();
    left.forEach(node -> drops.put(node, new HashSet<>(right)));
    right.forEach(node -> drops.put(node, new HashSet<>(left)));
    drops.put(bridge, Set.of());
    return new Grudge(drops);
  }

  /** {@code deaf} drops everything from {@code silenced}, while {@code silenced} still hears it. */
  public static Grudge oneWay(String deaf, String silenced) {
    return new Grudge(Map.of(deaf, Set.of(silenced)));
  }

  /**
   * An asymmetric split: a random half (n/2 nodes) stops hearing the other half, which still hears
   * it.
   */
  public static Grudge oneWay(List<String> nodes, RandomGenerator rng) {
    requireAtLeast(nodes, 2, "a one-way partition");
    var shuffled = shuffled(nodes, rng);
    int cut = shuffled.size() / 2;
    var deaf = shuffled.subList(0, cut);
    var silenced = Set.copyOf(shuffled.subList(cut, shuffled.size()));
    var drops = new HashMap<String, Set<String>>();
    deaf.forEach(node -> drops.put(node, silenced));
    return new Grudge(drops);
  }

  private static ArrayList<String> shuffled(List<String> nodes, RandomGenerator rng) {
    var copy = new ArrayList<>(nodes);
    if (new HashSet<>(copy).size() != copy.size()) {
      throw new IllegalArgumentException("node ids must be distinct, got " + nodes);
    }
    // Fisher-Yates with the caller's generator, so a seed replays the same grudge.
    for (int i = copy.size() - 1; i > 0; i--) {
      Collections.swap(copy, i, rng.nextInt(i + 1));
    }
    return copy;
  }

  private static void requireAtLeast(List<String> nodes, int min, String shape) {
    if (nodes.size() < min) {
      throw new IllegalArgumentException(
          shape + " needs at least " + min + " nodes, got " + nodes.size() + ": " + nodes);
    }
  }
}
