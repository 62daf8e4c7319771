package dev.faultline.testbed.sim;

import dev.faultline.nemesis.net.Grudge;
import dev.faultline.raft.Message;
import java.util.SplittableRandom;

/**
 * The simulated network: per-message loss, duplication and delay (so reordering), directed
 * partitions (a count per link, so overlapping partitions heal independently) and clogged links (a
 * large extra delay).
 */
final class SimNetwork {
  private static final long BASE_NANOS = 100_000;
  private static final long JITTER_NANOS = 900_000;
  private final Simulation sim;
  private final SplittableRandom random;
  private final int[][] blocked;
  private final long[][] clog;
  double drop;
  double duplicate;
  double slow;
  long slowNanos;
  long sent;
  long dropped;

  SimNetwork(Simulation sim, SplittableRandom random, int nodes, SimConfig config) {
    this.sim = sim;
    this.random = random;
    this.blocked = new int[nodes][nodes];
    this.clog = new long[nodes][nodes];
    this.drop = config.drop();
    this.duplicate = config.duplicate();
    this.slow = config.slow();
    this.slowNanos = config.slowMillis() * 1_000_000;
  }

  void send(int from, Message m) {
    int to = sim.indexOf(m.to());
    sent++;
    if (blocked[from][to] > 0 || random.nextDouble() < drop) {
      dropped++;
      return;
    }
    sim.schedule(delay(from, to), new Deliver(from, to, m));
    if (random.nextDouble() < duplicate) {
      sim.schedule(delay(from, to), new Deliver(from, to, m));
    }
  }

  private long delay(int from, int to) {
    long d = BASE_NANOS + random.nextLong(JITTER_NANOS) + clog[from][to];
    if (slowNanos > 0 && random.nextDouble() < slow) {
      d += random.nextLong(slowNanos);
    }
    return d;
  }

  /** {@code to} stops hearing from {@code from} (directed). */
  void block(int from, int to) {
    blocked[from][to]++;
  }

  void unblock(int from, int to) {
    blocked[from][to] = Math.max(0, blocked[from][to] - 1);
  }

  /** Cuts every link {@code grudge} names (a receiver stops hearing each of its senders). */
  void apply(Grudge grudge) {
    grudge.drops().forEach((to, from) -> from.forEach(f -> block(sim.indexOf(f), sim.indexOf(to))));
  }

  /** Undoes {@link #apply}; links another grudge also cuts stay cut. */
  void lift(Grudge grudge) {
    grudge
        .drops()
        .forEach((to, from) -> from.forEach(f -> unblock(sim.indexOf(f), sim.indexOf(to))));
  }

  void clog(int from, int to, long extraNanos) {
    clog[from][to] = extraNanos;
  }

  void healAll() {
    for (int i = 0; i < blocked.length; i++) {
      for (int j = 0; j < blocked.length; j++) {
        blocked[i][j] = 0;
        clog[i][j] = 0;
      }
    }
  }

  /** A message arriving at a node. */
  static final class Deliver extends Event {
    private final int from;
    private final int to;
    private final Message message;

    Deliver(int from, int to, Message message) {
      this.from = from;
      this.to = to;
      this.message = message;
    }

    @Override
    void fire(Simulation sim) {
      if (sim.net.blocked[from][to] > 0) {
        sim.net.dropped++; // a partition also drops what was already in flight
        return;
      }
      sim.delivered++;
      sim.node(to).deliver(message);
    }

    @Override
    long fingerprint() {
      return ((from * 16L + to) * 16 + kind(message)) * 1_000_003L
          + message.term() * 8191
          + detail(message);
    }

    @Override
    String describe() {
      return "deliver " + message;
    }

    static int kind(Message m) {
      if (m instanceof Message.AppendEntries) {
        return 1;
      } else if (m instanceof Message.AppendResponse) {
        return 2;
      } else if (m instanceof Message.Heartbeat) {
        return 3;
      } else if (m instanceof Message.HeartbeatResponse) {
        return 4;
      } else if (m instanceof Message.PreVote) {
        return 5;
      } else if (m instanceof Message.PreVoteResponse) {
        return 6;
      } else if (m instanceof Message.RequestVote) {
        return 7;
      } else if (m instanceof Message.RequestVoteResponse) {
        return 8;
      } else if (m instanceof Message.InstallSnapshot) {
        return 9;
      } else if (m instanceof Message.SnapshotResponse) {
        return 10;
      }
      return 11;
    }

    static long detail(Message m) {
      if (m instanceof Message.AppendEntries a) {
        return a.prevIndex() * 131 + a.entries().size() * 7 + a.commit();
      } else if (m instanceof Message.AppendResponse r) {
        return r.index() * 2 + (r.success() ? 1 : 0);
      } else if (m instanceof Message.Heartbeat h) {
        return h.commit() * 31 + h.readSeq();
      } else if (m instanceof Message.HeartbeatResponse r) {
        return r.readSeq();
      } else if (m instanceof Message.InstallSnapshot s) {
        return s.meta().index() * 31 + s.offset();
      } else if (m instanceof Message.SnapshotResponse r) {
        return r.nextOffset();
      }
      return 0;
    }
  }
}
