package dev.faultline.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Runs the commands of a Raft scenario transcript against pure {@link RaftCore}s and describes what
 * they did, one line per message, entry or state change, in the manner of etcd-io/raft's
 * data-driven tests. Nothing happens unless a command says so: {@code tick} and {@code campaign}
 * only step one core; {@code process-ready} persists and collects its output; {@code deliver-msgs}
 * hands queued messages to their receivers; {@code stabilize} repeats both until quiet.
 *
 * <p>Commands: {@code nodes ID... [prevote] [checkquorum] [election=N] [heartbeat=N]}, {@code
 * campaign ID}, {@code tick ID [N]}, {@code propose ID DATA}, {@code read-index ID CTX}, {@code
 * process-ready [ID...]}, {@code deliver-msgs [ID...]}, {@code drop-msgs [ID...]}, {@code
 * stabilize}, {@code partition ID... | ID...}, {@code heal}, {@code status [ID...]}, {@code log
 * ID}, {@code compact ID INDEX DATA}, {@code restart ID}.
 */
final class Transcript {
  private final Map<String, RaftCore> cores = new LinkedHashMap<>();
  private final Map<String, MemoryLogStorage> storages = new LinkedHashMap<>();
  private final Map<String, byte[]> snapshots = new LinkedHashMap<>();
  private final ArrayDeque<Message> queue = new ArrayDeque<>();
  private final List<List<String>> groups = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom(1);
  private RaftConfig template;
  private TreeSet<String> voters;

  /** Runs one command line; returns its output (lines joined by newlines, none when silent). */
  String run(String line) {
    List<String> out = new ArrayList<>();
    String[] w = line.trim().split("\\s+");
    String[] args = Arrays.copyOfRange(w, 1, w.length);
    switch (w[0]) {
      case "nodes" -> nodes(args);
      case "campaign" -> core(args[0]).campaign();
      case "tick" -> {
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        for (int i = 0; i < n; i++) {
          core(args[0]).tick();
        }
      }
      case "propose" -> {
        ProposeResult r = core(args[0]).propose(args[1].getBytes(StandardCharsets.UTF_8));
        out.add(
            r instanceof ProposeResult.Accepted a
                ? "accepted " + a.index() + "/" + a.term()
                : "refused: " + ((ProposeResult.Refused) r).reason());
      }
      case "read-index" ->
          out.add(
              core(args[0]).readIndex(args[1].getBytes(StandardCharsets.UTF_8))
                  ? "read pending"
                  : "refused: not leader");
      case "process-ready" -> {
        for (String id : idsOr(args)) {
          processReady(id, out);
        }
      }
      case "deliver-msgs" -> deliver(idsOr(args), out);
      case "drop-msgs" -> {
        List<String> to = idsOr(args);
        queue.removeIf(m -> to.contains(m.to()));
      }
      case "stabilize" -> stabilize(out);
      case "partition" -> partition(args);
      case "heal" -> groups.clear();
      case "status" -> {
        for (String id : idsOr(args)) {
          out.add(status(id));
        }
      }
      case "log" -> log(args[0], out);
      case "compact" -> compact(args[0], Long.parseLong(args[1]), args[2]);
      case "restart" -> restart(args[0]);
      default -> throw new IllegalArgumentException("unknown transcript command '" + w[0] + "'");
    }
    return String.join("\n", out);
  }

  private void nodes(String[] args) {
    voters = new TreeSet<>();
    boolean preVote = false;
    boolean checkQuorum = false;
    int election = 10;
    int heartbeat = 1;
    for (String a : args) {
      if (a.equals("prevote")) {
        preVote = true;
      } else if (a.equals("checkquorum")) {
        checkQuorum = true;
      } else if (a.startsWith("election=")) {
        election = Integer.parseInt(a.substring(9));
      } else if (a.startsWith("heartbeat=")) {
        heartbeat = Integer.parseInt(a.substring(10));
      } else {
        voters.add(a);
      }
    }
    int e = election;
    int h = heartbeat;
    boolean pv = preVote;
    boolean cq = checkQuorum;
    template = RaftConfig.of("template", voters).withTicks(e, h).withElectionSafety(pv, cq);
    for (String id : voters) {
      storages.put(id, new MemoryLogStorage());
      cores.put(id, new RaftCore(config(id), storages.get(id), random, null, 0));
    }
  }

  private RaftConfig config(String id) {
    return RaftConfig.of(id, voters)
        .withTicks(template.electionTicks(), template.heartbeatTicks())
        .withElectionSafety(template.preVote(), template.checkQuorum());
  }

  private RaftCore core(String id) {
    RaftCore c = cores.get(id);
    if (c == null) {
      throw new IllegalArgumentException("no node '" + id + "'; nodes are " + cores.keySet());
    }
    return c;
  }

  private List<String> idsOr(String[] args) {
    return args.length == 0 ? new ArrayList<>(cores.keySet()) : List.of(args);
  }

  private boolean processReady(String id, List<String> out) {
    RaftCore core = core(id);
    if (!core.hasReady()) {
      return false;
    }
    Ready rd = core.ready();
    MemoryLogStorage storage = storages.get(id);
    if (rd.snapshot() != null) {
      SnapshotMeta m = rd.snapshot().meta();
      out.add(id + ": install snapshot " + m.index() + "/" + m.term() + " " + text(rd));
      storage.installSnapshot(m);
      snapshots.put(id, rd.snapshot().data());
    }
    if (rd.hardState() != null) {
      HardState hs = rd.hardState();
      out.add(
          id
              + ": hardstate term="
              + hs.term()
              + " vote="
              + dash(hs.votedFor())
              + " commit="
              + hs.commit());
    }
    if (!rd.entries().isEmpty()) {
      out.add(id + ": append " + entries(rd.entries()));
      storage.append(rd.entries());
    }
    if (rd.hardState() != null) {
      storage.saveHardState(rd.hardState());
    }
    storage.sync();
    for (Message m : rd.messages()) {
      out.add(id + ": send " + describe(m));
      queue.add(m);
    }
    for (Message m : rd.persistedMessages()) {
      out.add(id + ": send after sync " + describe(m));
      queue.add(m);
    }
    if (!rd.committed().isEmpty()) {
      out.add(id + ": apply " + entries(rd.committed()));
    }
    for (ReadState rs : rd.readStates()) {
      out.add(
          id
              + ": read-state "
              + new String(rs.context(), StandardCharsets.UTF_8)
              + " index="
              + rs.index());
    }
    core.advance(rd);
    return true;
  }

  private static String text(Ready rd) {
    return "(" + rd.snapshot().data().length + " bytes)";
  }

  private void deliver(List<String> to, List<String> out) {
    List<Message> batch = new ArrayList<>();
    for (var it = queue.iterator(); it.hasNext(); ) {
      Message m = it.next();
      if (to.contains(m.to())) {
        batch.add(m);
        it.remove();
      }
    }
    for (Message m : batch) {
      if (cut(m.from(), m.to())) {
        out.add("dropped " + describe(m));
        continue;
      }
      out.add("deliver " + describe(m));
      core(m.to()).step(m);
    }
  }

  private void stabilize(List<String> out) {
    for (int round = 0; round < 1_000; round++) {
      boolean progress = false;
      for (String id : cores.keySet()) {
        progress |= processReady(id, out);
      }
      if (!queue.isEmpty()) {
        progress = true;
        deliver(new ArrayList<>(cores.keySet()), out);
      }
      if (!progress) {
        return;
      }
    }
    throw new IllegalStateException("stabilize: the cluster did not settle in 1000 rounds");
  }

  private void partition(String[] args) {
    groups.clear();
    List<String> g = new ArrayList<>();
    for (String a : args) {
      if (a.equals("|")) {
        groups.add(g);
        g = new ArrayList<>();
      } else {
        g.add(a);
      }
    }
    groups.add(g);
  }

  private boolean cut(String from, String to) {
    for (List<String> g : groups) {
      if (g.contains(from) != g.contains(to)) {
        return true;
      }
    }
    return false;
  }

  private String status(String id) {
    RaftCore c = core(id);
    return id
        + ": "
        + c.role().name().toLowerCase()
        + " term="
        + c.term()
        + " lead="
        + dash(c.leader())
        + " vote="
        + dash(c.votedFor())
        + " commit="
        + c.commitIndex()
        + " log="
        + c.firstIndex()
        + ".."
        + c.lastIndex();
  }

  private void log(String id, List<String> out) {
    RaftCore c = core(id);
    if (c.lastIndex() < c.firstIndex()) {
      out.add(id + ": log empty (snapshot at " + (c.firstIndex() - 1) + ")");
      return;
    }
    out.add(id + ": " + entries(c.entries(c.firstIndex(), c.lastIndex() + 1)));
  }

  private void compact(String id, long index, String data) {
    RaftCore c = core(id);
    SnapshotMeta meta =
        new SnapshotMeta(
            index, c.termAt(index), c.membership().voters(), c.membership().learners());
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    storages.get(id).installSnapshot(meta);
    snapshots.put(id, bytes);
    c.snapshotTaken(meta, bytes);
  }

  private void restart(String id) {
    MemoryLogStorage storage = storages.get(id).copy();
    storages.put(id, storage);
    long snap = storage.snapshot().index();
    queue.removeIf(m -> m.to().equals(id));
    cores.put(
        id, new RaftCore(config(id), storage, random, snap > 0 ? snapshots.get(id) : null, snap));
  }

  static String entries(List<Entry> entries) {
    return entries.stream().map(Transcript::entry).collect(Collectors.joining(" "));
  }

  static String entry(Entry e) {
    String body =
        e.type() == Entry.Type.COMMAND
            ? new String(e.data(), StandardCharsets.UTF_8)
            : e.type().name().toLowerCase();
    return e.index() + "/" + e.term() + ":" + body;
  }

  /** One line per message: sender, receiver, kind, and the fields that matter. */
  static String describe(Message m) {
    String head = m.from() + "->" + m.to() + " ";
    String body;
    if (m instanceof Message.PreVote v) {
      body = "PreVote term=" + v.term() + " last=" + v.lastIndex() + "/" + v.lastTerm();
    } else if (m instanceof Message.PreVoteResponse r) {
      body = "PreVoteResponse term=" + r.term() + (r.granted() ? " granted" : " rejected");
    } else if (m instanceof Message.RequestVote v) {
      body =
          "RequestVote term="
              + v.term()
              + " last="
              + v.lastIndex()
              + "/"
              + v.lastTerm()
              + (v.transfer() ? " transfer" : "");
    } else if (m instanceof Message.RequestVoteResponse r) {
      body = "RequestVoteResponse term=" + r.term() + (r.granted() ? " granted" : " rejected");
    } else if (m instanceof Message.AppendEntries a) {
      body =
          "AppendEntries term="
              + a.term()
              + " prev="
              + a.prevIndex()
              + "/"
              + a.prevTerm()
              + " commit="
              + a.commit()
              + " entries=["
              + entries(a.entries())
              + "]";
    } else if (m instanceof Message.AppendResponse r) {
      body =
          "AppendResponse term="
              + r.term()
              + (r.success()
                  ? " ok index=" + r.index()
                  : " reject index=" + r.index() + " hint=" + r.hintIndex() + "/" + r.hintTerm());
    } else if (m instanceof Message.Heartbeat h) {
      body = "Heartbeat term=" + h.term() + " commit=" + h.commit() + " read=" + h.readSeq();
    } else if (m instanceof Message.HeartbeatResponse r) {
      body = "HeartbeatResponse term=" + r.term() + " read=" + r.readSeq();
    } else if (m instanceof Message.InstallSnapshot s) {
      body =
          "InstallSnapshot term="
              + s.term()
              + " snap="
              + s.meta().index()
              + "/"
              + s.meta().term()
              + " offset="
              + s.offset()
              + " bytes="
              + s.chunk().length
              + (s.done() ? " done" : "");
    } else if (m instanceof Message.SnapshotResponse r) {
      body =
          "SnapshotResponse term="
              + r.term()
              + " snap="
              + r.snapshotIndex()
              + " next="
              + r.nextOffset();
    } else {
      body = "TimeoutNow term=" + m.term();
    }
    return head + body;
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }
}
