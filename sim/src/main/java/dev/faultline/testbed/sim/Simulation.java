package dev.faultline.testbed.sim;

import dev.faultline.checker.CheckOptions;
import dev.faultline.checker.CheckResult;
import dev.faultline.checker.Checker;
import dev.faultline.checker.KeyResult;
import dev.faultline.checker.Verdict;
import dev.faultline.checker.model.Models;
import dev.faultline.histories.History;
import dev.faultline.histories.OpType;
import dev.faultline.raft.Message;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A deterministic simulation of a Raft cluster in one thread: simulated clock, network, disks,
 * faults and clients, all drawn from one seed. It checks safety continuously, then heals everything
 * and checks liveness, then checks the client history for linearizability.
 */
public final class Simulation {
  static final long TICK_NANOS = 10_000_000;
  private static final int ELECTION_TICKS = 10;
  private static final int HEARTBEAT_TICKS = 2;

  final SimConfig config;
  final RaftSetup setup;
  final long seed;
  final EventQueue queue = new EventQueue();
  final Trace trace;
  final SafetyMonitor monitor;
  final SimNetwork net;
  final SimClients clients;
  final Nemesis nemesis;
  private final SimNode[] nodes;
  private final SplittableRandom nodeRandom;
  private final SplittableRandom diskRandom;
  private final SplittableRandom latencyRandom;
  private final SplittableRandom rebuildRandom;
  long now;
  long delivered;
  private String livenessProblem;
  private boolean finished;

  private Simulation(long seed, SimConfig base, boolean recordAll) {
    this.seed = seed;
    SplittableRandom master = new SplittableRandom(seed);
    this.config = base.forSeed(master.split());
    this.setup = RaftSetup.forSeed(master.split());
    this.trace = new Trace(recordAll);
    this.monitor = new SafetyMonitor(config.nodes());
    this.net = new SimNetwork(this, master.split(), config.nodes(), config);
    this.clients = new SimClients(this, master.split(), config);
    this.nemesis = new Nemesis(this, master.split(), config);
    this.nodeRandom = master.split();
    this.diskRandom = master.split();
    this.latencyRandom = master.split();
    this.rebuildRandom = master.split();
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < config.nodes(); i++) {
      ids.add(idOf(i));
    }
    this.nodes = new SimNode[config.nodes()];
    for (int i = 0; i < config.nodes(); i++) {
      RaftConfig rc =
          RaftConfig.of(idOf(i), ids)
              .withTicks(ELECTION_TICKS, HEARTBEAT_TICKS)
              .withFlowControl(setup.inflight(), 64 << 10, setup.messageBytes(), 256)
              .withElectionSafety(setup.preVote(), setup.checkQuorum())
              .withBugs(
                  config.bug() == null || config.bug().raftBug() == null
                      ? Set.of()
                      : Set.of(config.bug().raftBug()));
      nodes[i] = new SimNode(this, i, rc, config.bug() == SimBug.LOST_REBUILD_WRITES);
    }
  }

  /** Runs one seed to the end (or the first violation) and checks the history. */
  public static SimResult run(long seed, SimConfig config, boolean recordAll) {
    return new Simulation(seed, config, recordAll).execute(true);
  }

  /** Runs one seed with the safety and liveness checks but without the history check. */
  public static SimResult runUnchecked(long seed, SimConfig config) {
    return new Simulation(seed, config, false).execute(false);
  }

  static String idOf(int i) {
    return "n" + (i + 1);
  }

  int indexOf(String id) {
    return Integer.parseInt(id, 1, id.length(), 10) - 1;
  }

  SimNode node(int i) {
    return nodes[i];
  }

  void schedule(long delayNanos, Event e) {
    e.time = now + delayNanos;
    queue.add(e);
  }

  void send(SimNode from, List<Message> messages) {
    for (int i = 0; i < messages.size(); i++) {
      net.send(from.index, messages.get(i));
    }
  }

  long clientLatency() {
    return 200_000 + latencyRandom.nextLong(800_000);
  }

  void syncLater(SimNode n) {
    long latency = 50_000 + diskRandom.nextLong(950_000);
    schedule(latency, new SyncDone(n.index, n.incarnation));
  }

  /** A task of a node's store rebuild executor runs 0.05-5 ms later, unless the process died. */
  void rebuildLater(SimNode n, int incarnation, Runnable task) {
    long delay = 50_000 + rebuildRandom.nextLong(4_950_000);
    schedule(
        delay, new Event.Action("rebuild-step " + n.id, () -> n.rebuildTask(incarnation, task)));
  }

  void complete(Request r, OpType type, Object value, String node, String error) {
    if ("not-leader".equals(error)) {
      SimNode n = nodes[indexOf(node)];
      String hint = n.up && n.core != null ? n.core.leader() : null;
      clients.hint(r.client(), hint);
    }
    schedule(clientLatency(), new Reply(r, type, value, node, error));
  }

  void restart(SimNode n) {
    n.start(nodeRandom.split());
    scheduleTick(n, nodeRandom.nextLong(TICK_NANOS));
  }

  private void scheduleTick(SimNode n, long delay) {
    schedule(delay, new Tick(n.index, n.incarnation));
  }

  /** The node leading the highest term among live nodes, or -1. */
  int leaderIndex() {
    int best = -1;
    for (int i = 0; i < nodes.length; i++) {
      SimNode n = nodes[i];
      if (n.up
          && n.core.role() == Role.LEADER
          && (best < 0 || n.core.term() > nodes[best].core.term())) {
        best = i;
      }
    }
    return best;
  }

  private SimResult execute(boolean checkHistory) {
    long wallStart = System.nanoTime();
    long faultEnd = config.faultMillis() * 1_000_000;
    long end = faultEnd + config.livenessMillis() * 1_000_000;
    for (SimNode n : nodes) {
      restart(n);
    }
    clients.start();
    nemesis.start(100_000_000);
    schedule(
        faultEnd,
        new Event.Action(
            "heal-all",
            () -> {
              nemesis.healAll();
              clients.healed = true;
            }));
    schedule(
        faultEnd + config.livenessMillis() * 1_000_000 / 2,
        new Event.Action("clients-stop", () -> clients.active = false));
    schedule(end, new Event.Action("liveness-check", this::checkLiveness));
    String error = null;
    try {
      while (!finished && monitor.violation == null) {
        Event e = queue.poll();
        if (e == null || e.time > end) {
          break;
        }
        now = e.time;
        trace.record(e);
        e.fire(this);
      }
    } catch (RuntimeException e) {
      StackTraceElement[] st = e.getStackTrace();
      boolean core = st.length > 0 && st[0].getClassName().startsWith("dev.faultline.raft");
      if (core && e instanceof IllegalStateException) {
        monitor.violation = "raft invariant broken: " + e.getMessage();
      } else {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        error = sw.toString();
      }
    }
    long wall = System.nanoTime() - wallStart;
    History history = clients.history.build();
    SimResult.Outcome outcome = SimResult.Outcome.PASSED;
    String problem = null;
    if (error != null) {
      outcome = SimResult.Outcome.ERROR;
      problem = "simulator error: " + error;
    } else if (monitor.violation != null) {
      outcome = SimResult.Outcome.SAFETY;
      problem = monitor.violation;
    } else {
      String lin = checkHistory ? checkLinearizable(history) : null;
      if (lin != null) {
        outcome = SimResult.Outcome.LINEARIZABILITY;
        problem = lin;
      } else if (livenessProblem != null) {
        outcome = SimResult.Outcome.LIVENESS;
        problem = livenessProblem;
      }
    }
    return new SimResult(
        seed,
        config,
        setup,
        outcome,
        problem,
        trace.hash(),
        trace.events(),
        delivered,
        now,
        wall,
        history,
        trace.last(40),
        trace.all());
  }

  private void checkLiveness() {
    finished = true;
    int leader = leaderIndex();
    if (leader < 0) {
      livenessProblem = "liveness: no leader " + config.livenessMillis() + "ms after healing";
      return;
    }
    SimNode l = nodes[leader];
    for (SimNode n : nodes) {
      if (!n.up || n.paused) {
        livenessProblem = "liveness: " + n.id + " is not running after healing";
        return;
      }
      if (n.core.term() != l.core.term() || !l.id.equals(n.core.leader())) {
        livenessProblem =
            "liveness: "
                + n.id
                + " does not follow leader "
                + l.id
                + " of term "
                + l.core.term()
                + " (it is "
                + n
                + ")";
        return;
      }
      if (n.core.commitIndex() != l.core.lastIndex()) {
        livenessProblem =
            "liveness: "
                + n.id
                + " has commit index "
                + n.core.commitIndex()
                + " but the leader's log ends at "
                + l.core.lastIndex();
        return;
      }
      if (n.pendingRequests() > 0) {
        livenessProblem =
            "liveness: " + n.id + " still holds " + n.pendingRequests() + " unanswered requests";
        return;
      }
    }
    if (clients.inFlight() > 0) {
      livenessProblem = "liveness: " + clients.inFlight() + " client operations never completed";
    } else if (clients.okAfterHeal == 0) {
      livenessProblem = "liveness: no client operation succeeded after healing";
    }
  }

  private static String checkLinearizable(History history) {
    CheckResult r =
        Checker.check(
            history,
            CheckOptions.defaults()
                .withModel(Models.named("kv"))
                .withThreads(1)
                .withTimeout(Duration.ofSeconds(20))
                .withExplain(false));
    if (r.verdict() != Verdict.INVALID) {
      return null;
    }
    KeyResult bad = r.firstInvalid().orElseThrow();
    String culprit =
        bad.counterexample() == null ? "" : ": " + bad.counterexample().culpritDescription();
    return "linearizability: key " + bad.key() + " is not linearizable" + culprit;
  }

  /** A node's timer fires; it re-arms itself while the same process lives. */
  private static final class Tick extends Event {
    private final int node;
    private final int incarnation;

    Tick(int node, int incarnation) {
      this.node = node;
      this.incarnation = incarnation;
    }

    @Override
    void fire(Simulation sim) {
      SimNode n = sim.nodes[node];
      if (!n.up || n.incarnation != incarnation) {
        return;
      }
      n.tick();
      sim.scheduleTick(n, TICK_NANOS);
    }

    @Override
    long fingerprint() {
      return 1_000 + node;
    }

    @Override
    String describe() {
      return "tick " + idOf(node);
    }
  }

  /** A node's disk finishes a sync. */
  private static final class SyncDone extends Event {
    private final int node;
    private final int incarnation;

    SyncDone(int node, int incarnation) {
      this.node = node;
      this.incarnation = incarnation;
    }

    @Override
    void fire(Simulation sim) {
      SimNode n = sim.nodes[node];
      if (n.up && n.incarnation == incarnation) {
        n.synced();
      }
    }

    @Override
    long fingerprint() {
      return 2_000 + node;
    }

    @Override
    String describe() {
      return "synced " + idOf(node);
    }
  }

  /** A node's answer reaches the client. */
  private static final class Reply extends Event {
    private final Request request;
    private final OpType type;
    private final Object value;
    private final String node;
    private final String error;

    Reply(Request request, OpType type, Object value, String node, String error) {
      this.request = request;
      this.type = type;
      this.value = value;
      this.node = node;
      this.error = error;
    }

    @Override
    void fire(Simulation sim) {
      sim.clients.complete(request, type, value, node, error);
    }

    @Override
    long fingerprint() {
      return request.id() * 17 + type.ordinal() + (value == null ? 0 : value.hashCode());
    }

    @Override
    String describe() {
      return "reply "
          + type.wireName()
          + " "
          + request
          + " value="
          + value
          + " from "
          + node
          + (error == null ? "" : " (" + error + ")");
    }
  }
}
