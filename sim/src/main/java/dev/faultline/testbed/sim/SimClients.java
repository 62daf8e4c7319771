package dev.faultline.testbed.sim;

import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.workloads.ChurnWorkload;
import dev.faultline.workloads.Command;
import dev.faultline.workloads.Generator;
import dev.faultline.workloads.Workload;
import dev.faultline.workloads.WorkloadOptions;
import java.util.SplittableRandom;

/**
 * Client processes issuing the operations of a workload's {@link Generator} against the node they
 * believe leads, one op at a time each, with a timeout; every invocation and completion is recorded
 * in the history. A process whose op ends with an unknown outcome ({@code info}) is retired and
 * replaced by a fresh process id, as Jepsen does.
 */
final class SimClients {
  private static final long TIMEOUT_NANOS = 400_000_000;

  /** The churn workload scaled to a simulation's few thousand ops: waves of 96 keys down to 24. */
  static final ChurnWorkload CHURN = new ChurnWorkload(96, 24, 24);

  private final Simulation sim;
  private final SplittableRandom random;
  private final SimConfig config;
  private final Generator generator;
  final HistoryBuilder history = new HistoryBuilder();
  private final long[] process;
  private final Request[] inFlight;
  private final int[] leaderGuess;
  private long nextProcess;
  private long nextRequest;
  boolean active;
  long okAfterHeal;
  boolean healed;

  SimClients(Simulation sim, SplittableRandom random, SimConfig config) {
    this.sim = sim;
    this.random = random;
    this.config = config;
    this.generator = generator(config, random);
    this.process = new long[config.clients()];
    this.inFlight = new Request[config.clients()];
    this.leaderGuess = new int[config.clients()];
    for (int c = 0; c < config.clients(); c++) {
      process[c] = nextProcess++;
      leaderGuess[c] = -1;
    }
  }

  /**
   * The generator {@code --workload} names. The simulator's own mix draws from the clients' random
   * source, in the order it always has, so a seed keeps the run it had; the workloads module's
   * generators are seeded from it.
   */
  static Generator generator(SimConfig config, SplittableRandom random) {
    return switch (config.workload()) {
      case "registers" -> new RegisterMix(random, config.keys());
      case "churn" -> CHURN.generator(random.nextLong(), WorkloadOptions.defaults());
      default ->
          Workload.named(config.workload())
              .generator(random.nextLong(), WorkloadOptions.defaults());
    };
  }

  void start() {
    active = true;
    for (int c = 0; c < config.clients(); c++) {
      int client = c;
      sim.schedule(
          random.nextLong(5_000_000), new Event.Action("invoke c" + c, () -> invoke(client)));
    }
  }

  private void invoke(int c) {
    if (!active || inFlight[c] != null) {
      return;
    }
    Command command = generator.next();
    Request r = new Request(nextRequest++, c, process[c], command);
    inFlight[c] = r;
    history.add(
        new Op(
            0,
            sim.now,
            process[c],
            OpType.INVOKE,
            command.f(),
            command.key(),
            command.invokeValue(),
            null,
            null));
    int node =
        leaderGuess[c] >= 0 && random.nextInt(10) < 8
            ? leaderGuess[c]
            : random.nextInt(config.nodes());
    sim.schedule(sim.clientLatency(), new Arrive(node, r));
    sim.schedule(TIMEOUT_NANOS, new Event.Action("timeout " + r.id(), () -> timeout(r)));
  }

  private void timeout(Request r) {
    if (inFlight[r.client()] == r) {
      // A read that timed out changed nothing; a write or cas may still take effect.
      complete(
          r,
          r.command() instanceof Command.Read ? OpType.FAIL : OpType.INFO,
          null,
          null,
          "timeout");
    }
  }

  /** Records the outcome of {@code r}, unless the client already gave up on it. */
  void complete(Request r, OpType type, Object readValue, String node, String error) {
    int c = r.client();
    if (inFlight[c] != r) {
      return;
    }
    inFlight[c] = null;
    Object value =
        r.command() instanceof Command.Read
            ? (type == OpType.OK ? readValue : null)
            : r.command().invokeValue();
    history.add(new Op(0, sim.now, r.process(), type, r.f(), r.key(), value, node, error));
    sim.trace.note(r.id() * 7 + type.ordinal());
    if (type == OpType.INFO) {
      process[c] = nextProcess++;
    }
    if (type == OpType.OK) {
      leaderGuess[c] = node == null ? -1 : sim.indexOf(node);
      if (healed) {
        okAfterHeal++;
      }
    }
    if (active) {
      long think = 1_000_000 + random.nextLong(15_000_000);
      sim.schedule(think, new Event.Action("invoke c" + c, () -> invoke(c)));
    }
  }

  /** A node told client {@code c} who it believes leads. */
  void hint(int c, String leader) {
    leaderGuess[c] = leader == null ? -1 : sim.indexOf(leader);
  }

  int inFlight() {
    int n = 0;
    for (Request r : inFlight) {
      if (r != null) {
        n++;
      }
    }
    return n;
  }

  void nemesis(String f, Object value) {
    history.add(new Op(0, sim.now, Op.NEMESIS, OpType.INFO, f, null, value, null, null));
  }

  /** A client's request reaching a node. */
  private static final class Arrive extends Event {
    private final int node;
    private final Request request;

    Arrive(int node, Request request) {
      this.node = node;
      this.request = request;
    }

    @Override
    void fire(Simulation sim) {
      sim.node(node).request(request);
    }

    @Override
    long fingerprint() {
      return request.id() * 131 + node;
    }

    @Override
    String describe() {
      return "request " + request + " reaches " + Simulation.idOf(node);
    }
  }
}
