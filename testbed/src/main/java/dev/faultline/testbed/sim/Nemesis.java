package dev.faultline.testbed.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Injects faults at random intervals while the fault phase lasts: partitions (symmetric, one-way,
 * or cutting off the current leader), crashes with restarts, process pauses, and clogged links.
 * Each fault undoes itself after a while; {@link #healAll()} undoes everything at once.
 */
final class Nemesis {
  private final Simulation sim;
  private final SplittableRandom random;
  private final SimConfig config;
  private final int n;
  boolean active;

  Nemesis(Simulation sim, SplittableRandom random, SimConfig config) {
    this.sim = sim;
    this.random = random;
    this.config = config;
    this.n = config.nodes();
  }

  void start(long afterNanos) {
    active = true;
    sim.schedule(afterNanos, new Event.Action("nemesis", this::step));
  }

  private long millis(long lo, long hi) {
    return (lo + random.nextLong(hi - lo + 1)) * 1_000_000;
  }

  private void step() {
    if (!active) {
      return;
    }
    double total = config.partition() + config.crash() + config.pause() + config.clog();
    if (total > 0 && n > 1) {
      double roll = random.nextDouble() * total;
      if ((roll -= config.partition()) < 0) {
        partition();
      } else if ((roll -= config.crash()) < 0) {
        crash();
      } else if ((roll -= config.pause()) < 0) {
        pause();
      } else {
        clog();
      }
    }
    sim.schedule(
        millis(config.faultEveryMillis() / 2, config.faultEveryMillis() * 3 / 2),
        new Event.Action("nemesis", this::step));
  }

  private void partition() {
    List<int[]> cut = new ArrayList<>();
    String kind;
    boolean brief = false;
    int leader = sim.leaderIndex();
    double roll = random.nextDouble();
    if (roll < 0.35 && leader >= 0) {
      kind = "isolate-leader";
      brief = random.nextBoolean();
      for (int i = 0; i < n; i++) {
        if (i != leader) {
          cut.add(new int[] {leader, i});
          cut.add(new int[] {i, leader});
        }
      }
    } else if (roll < 0.75) {
      kind = "partition";
      boolean[] side = new boolean[n];
      int size = 1 + random.nextInt(Math.max(1, n / 2));
      for (int placed = 0; placed < size; ) {
        int i = random.nextInt(n);
        if (!side[i]) {
          side[i] = true;
          placed++;
        }
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          if (side[i] != side[j]) {
            cut.add(new int[] {i, j});
          }
        }
      }
    } else {
      kind = "one-way";
      int deaf = random.nextInt(n);
      for (int i = 0; i < n; i++) {
        if (i != deaf && random.nextBoolean()) {
          cut.add(new int[] {i, deaf}); // deaf stops hearing from i, but i still hears deaf
        }
      }
    }
    for (int[] link : cut) {
      sim.net.block(link[0], link[1]);
    }
    sim.workload.nemesis("start-" + kind, describe(cut));
    sim.schedule(
        brief ? millis(5, 60) : millis(50, 1500),
        new Event.Action(
            "heal " + kind,
            () -> {
              for (int[] link : cut) {
                sim.net.unblock(link[0], link[1]);
              }
              sim.workload.nemesis("stop-" + kind, null);
            }));
  }

  private Map<String, Object> describe(List<int[]> cut) {
    TreeMap<String, List<String>> deafTo = new TreeMap<>();
    for (int[] link : cut) {
      deafTo
          .computeIfAbsent(sim.node(link[1]).id, k -> new ArrayList<>())
          .add(sim.node(link[0]).id);
    }
    return new TreeMap<>(deafTo);
  }

  private void crash() {
    SimNode node = sim.node(random.nextInt(n));
    if (node.up) {
      crashNode(node);
    }
  }

  private void crashNode(SimNode node) {
    node.crash(random);
    sim.workload.nemesis("kill", node.id);
    long down = random.nextBoolean() ? millis(1, 40) : millis(40, 600);
    sim.schedule(
        down,
        new Event.Action(
            "restart " + node.id,
            () -> {
              if (!node.up) {
                sim.restart(node);
                sim.workload.nemesis("start", node.id);
              }
            }));
  }

  private void pause() {
    int i = random.nextInt(n);
    SimNode node = sim.node(i);
    if (!node.up || node.paused) {
      return;
    }
    node.paused = true;
    int incarnation = node.incarnation;
    sim.workload.nemesis("pause", node.id);
    sim.schedule(
        millis(50, 1200),
        new Event.Action(
            "resume " + node.id,
            () -> {
              if (node.up && node.paused && node.incarnation == incarnation) {
                node.resume();
                sim.workload.nemesis("resume", node.id);
              }
            }));
  }

  private void clog() {
    int from = random.nextInt(n);
    int to = random.nextInt(n);
    if (from == to) {
      return;
    }
    long extra = millis(50, 400);
    sim.net.clog(from, to, extra);
    sim.workload.nemesis("start-clog", sim.node(from).id + "->" + sim.node(to).id);
    sim.schedule(millis(200, 2000), new Event.Action("unclog", () -> sim.net.clog(from, to, 0)));
  }

  /**
   * Reacts to a new leader: sometimes cuts it off or kills it before its first entries spread,
   * which leaves logs that disagree across terms (the states of Figure 8 in the paper).
   */
  void electionsObserved() {
    if (sim.monitor.newLeaders.isEmpty()) {
      return;
    }
    List<SimNode> fresh = new ArrayList<>(sim.monitor.newLeaders);
    sim.monitor.newLeaders.clear();
    if (!active) {
      return;
    }
    for (SimNode leader : fresh) {
      if (random.nextDouble() >= config.flap()) {
        continue;
      }
      // At once (before its first entries spread), or a little later (mid-replication).
      long delay = random.nextBoolean() ? 0 : random.nextLong(20_000_000);
      boolean kill = random.nextBoolean();
      sim.schedule(
          delay,
          new Event.Action(
              (kill ? "kill" : "isolate") + " new leader " + leader.id,
              () -> {
                if (!leader.up || !active) {
                  return;
                }
                if (kill) {
                  crashNode(leader);
                } else {
                  isolate(leader, millis(20, 400), "isolate-new-leader");
                }
              }));
    }
  }

  private void isolate(SimNode node, long forNanos, String kind) {
    List<int[]> cut = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i != node.index) {
        cut.add(new int[] {node.index, i});
        cut.add(new int[] {i, node.index});
      }
    }
    for (int[] link : cut) {
      sim.net.block(link[0], link[1]);
    }
    sim.workload.nemesis("start-" + kind, node.id);
    sim.schedule(
        forNanos,
        new Event.Action(
            "heal " + kind,
            () -> {
              for (int[] link : cut) {
                sim.net.unblock(link[0], link[1]);
              }
              sim.workload.nemesis("stop-" + kind, null);
            }));
  }

  /** Ends the fault phase: heals the network, restarts and resumes every node. */
  void healAll() {
    active = false;
    sim.net.healAll();
    sim.net.drop = 0;
    sim.net.duplicate = 0;
    sim.net.slow = 0;
    for (int i = 0; i < n; i++) {
      SimNode node = sim.node(i);
      if (!node.up) {
        sim.restart(node);
      } else if (node.paused) {
        node.resume();
      }
    }
    sim.workload.nemesis("heal-all", null);
  }
}
