package dev.faultline.testbed.sim;

import dev.faultline.nemesis.net.Grudge;
import dev.faultline.nemesis.net.Grudges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Injects faults at random intervals while the fault phase lasts: partitions (the nemesis module's
 * grudges: symmetric, one-way, or cutting off the current leader), crashes with restarts, process
 * pauses, and clogged links. Each fault undoes itself after a while; {@link #healAll()} undoes
 * everything at once.
 */
final class Nemesis {
  private final Simulation sim;
  private final SplittableRandom random;
  private final SimConfig config;
  private final int n;
  private final List<String> ids = new ArrayList<>();
  boolean active;

  Nemesis(Simulation sim, SplittableRandom random, SimConfig config) {
    this.sim = sim;
    this.random = random;
    this.config = config;
    this.n = config.nodes();
    for (int i = 0; i < n; i++) {
      ids.add(Simulation.idOf(i));
    }
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
    Grudge grudge;
    String kind;
    boolean brief = false;
    int leader = sim.leaderIndex();
    double roll = random.nextDouble();
    if (roll < 0.35 && leader >= 0) {
      kind = "isolate-leader";
      brief = random.nextBoolean();
      grudge = Grudges.isolateLeader(ids, Optional.of(sim.node(leader).id));
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
      List<String> minority = new ArrayList<>();
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (side[i] ? minority : rest).add(ids.get(i));
      }
      grudge = Grudges.complete(List.of(minority, rest));
    } else {
      kind = "one-way";
      int deaf = random.nextInt(n);
      Set<String> silenced = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        if (i != deaf && random.nextBoolean()) {
          silenced.add(ids.get(i)); // deaf stops hearing from i, but i still hears deaf
        }
      }
      grudge = new Grudge(Map.of(ids.get(deaf), silenced));
    }
    hold(grudge, kind, grudge.asValue(), brief ? millis(5, 60) : millis(50, 1500));
  }

  /** Applies {@code grudge} to the network now and lifts it after {@code forNanos}. */
  private void hold(Grudge grudge, String kind, Object value, long forNanos) {
    sim.net.apply(grudge);
    sim.clients.nemesis("start-" + kind, value);
    sim.schedule(
        forNanos,
        new Event.Action(
            "heal " + kind,
            () -> {
              sim.net.lift(grudge);
              sim.clients.nemesis("stop-" + kind, null);
            }));
  }

  private void crash() {
    SimNode node = sim.node(random.nextInt(n));
    if (node.up) {
      crashNode(node);
    }
  }

  private void crashNode(SimNode node) {
    node.crash(random);
    sim.clients.nemesis("kill", node.id);
    long down = random.nextBoolean() ? millis(1, 40) : millis(40, 600);
    sim.schedule(
        down,
        new Event.Action(
            "restart " + node.id,
            () -> {
              if (!node.up) {
                sim.restart(node);
                sim.clients.nemesis("start", node.id);
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
    sim.clients.nemesis("pause", node.id);
    sim.schedule(
        millis(50, 1200),
        new Event.Action(
            "resume " + node.id,
            () -> {
              if (node.up && node.paused && node.incarnation == incarnation) {
                node.resume();
                sim.clients.nemesis("resume", node.id);
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
    sim.clients.nemesis("start-clog", sim.node(from).id + "->" + sim.node(to).id);
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
    hold(Grudges.isolate(ids, node.id), kind, node.id, forNanos);
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
    sim.clients.nemesis("heal-all", null);
  }
}
