package dev.faultline.nemesis.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Picks the nodes a fault hits: a pure function of the target, the node ids, the current leader and
 * a seeded generator. The result keeps the order of {@code nodes}.
 */
public final class Targets {
  private Targets() {}

  public static List<String> pick(
      Target target, List<String> nodes, Optional<String> leader, RandomGenerator rng) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no nodes to pick " + name(target) + " from");
    }
    if (new HashSet<>(nodes).size() != nodes.size()) {
      throw new IllegalArgumentException("node ids must be distinct, got " + nodes);
    }
    int n = nodes.size();
    return switch (target) {
      case ONE -> sample(nodes, 1, rng);
      case MINORITY -> {
        if (n < 3) {
          throw new IllegalArgumentException(
              "a strict minority needs at least 3 nodes, got " + n + ": " + nodes);
        }
        yield sample(nodes, (n - 1) / 2, rng);
      }
      case MAJORITY -> sample(nodes, n / 2 + 1, rng);
      case LEADER -> leader.filter(nodes::contains).map(List::of).orElse(List.of());
      case ALL -> List.copyOf(nodes);
    };
  }

  /** Parses {@code one|minority|majority|leader|all}, naming the choices when it cannot. */
  public static Target parse(String text) {
    try {
      return Target.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown target '" + text + "': use one of one, minority, majority, leader, all", e);
    }
  }

  private static List<String> sample(List<String> nodes, int count, RandomGenerator rng) {
    var shuffled = new ArrayList<>(nodes);
    for (int i = shuffled.size() - 1; i > 0; i--) {
      Collections.swap(shuffled, i, rng.nextInt(i + 1));
    }
    var chosen = new ArrayList<>(shuffled.subList(0, count));
    chosen.sort(Comparator.comparingInt(nodes::indexOf));
    return List.copyOf(chosen);
  }

  private static String name(Target target) {
    return target.name().toLowerCase(Locale.ROOT);
  }
}
