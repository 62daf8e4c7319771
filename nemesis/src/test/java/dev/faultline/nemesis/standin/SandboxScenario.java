package dev.faultline.nemesis.standin;

import dev.faultline.nemesis.Fault;
import dev.faultline.nemesis.FaultOutcome;
import dev.faultline.nemesis.cluster.LocalCluster;
import dev.faultline.nemesis.cluster.NodeState.Phase;
import dev.faultline.nemesis.net.Grudge;
import dev.faultline.nemesis.net.Grudges;
import dev.faultline.nemesis.net.NetworkSandbox;
import dev.faultline.nemesis.net.SandboxNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A real run in the sandbox, driven by {@code SandboxTest}: re-executes itself inside the sandbox,
 * starts three stand-in nodes in their namespaces and prints one {@code CHECK <name> ok|FAIL ...}
 * line per observation. Exits 0 when every check held.
 */
public final class SandboxScenario {
  /** Exit code when iptables cannot be used in the node namespaces here. */
  public static final int SKIP = 77;

  private static final List<String> IDS = List.of("n1", "n2", "n3");
  private static final AtomicInteger TOKENS = new AtomicInteger();

  private final LocalCluster cluster;
  private int failures;

  private SandboxScenario(LocalCluster cluster) {
    this.cluster = cluster;
  }

  public static void main(String[] args) throws Exception {
    if (!NetworkSandbox.isInside()) {
      System.exit(NetworkSandbox.reexecInside(args));
    }
    Path dir = Path.of(args[1]);
    if (args[0].equals("recreate")) {
      System.exit(recreate());
    }
    int failures;
    SandboxNet network;
    try {
      network = SandboxNet.create(IDS);
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).startsWith("no working iptables")) {
        System.out.println("SKIP " + e.getMessage());
        System.exit(SKIP);
      }
      throw e;
    }
    System.out.println("IPTABLES " + network.iptables().command());
    try (LocalCluster cluster = StandInCluster.create(network, dir)) {
      cluster.start();
      var scenario = new SandboxScenario(cluster);
      scenario.check("nodes-answer", StandInCluster.awaitAllAnswer(cluster, 20_000), "timeout");
      switch (args[0]) {
        case "network" -> scenario.network();
        case "process" -> scenario.process(dir);
        case "hold" -> scenario.hold(dir);
        default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
      }
      failures = scenario.failures;
    }
    System.out.println("DONE failures=" + failures);
    System.exit(failures == 0 ? 0 : 1);
  }

  /**
   * One process builds and tears down the sandbox's network again and again, as {@code faultline
   * test --test-count N} does, including over links a killed run left behind.
   */
  private static int recreate() {
    String ip = dev.faultline.nemesis.os.Tool.IP.require().toString();
    for (int round = 1; round <= 4; round++) {
      if (round == 3) {
        // What a run that died before its close() leaves: a node's veth and the bridge.
        dev.faultline.nemesis.os.Exec.run(
                List.of(ip, "link", "add", "vfl1", "type", "veth", "peer", "name", "stray1"))
            .orThrow();
        dev.faultline.nemesis.os.Exec.run(List.of(ip, "link", "add", "fl0", "type", "bridge"))
            .orThrow();
      }
      try (SandboxNet network = SandboxNet.create(IDS)) {
        System.out.println("CHECK recreate-" + round + " ok " + network.addresses().size());
      } catch (RuntimeException e) {
        System.out.println("FAIL recreate-" + round + ": " + e.getMessage());
        return 1;
      }
    }
    System.out.println("DONE failures=0");
    return 0;
  }

  private void network() throws IOException {
    var net = cluster.net();
    checkMatches("all-reach-all", Grudge.NONE);
    check("tcp-n1-n3", tcp("n1", "n3"), "no pong over TCP");

    net.partition(Grudges.isolate(IDS, "n3"));
    checkMatches("isolated-n3", net.current());
    check("isolated-n3-no-tcp-out", !tcp("n3", "n1"), "n3 reached n1 over TCP");
    check("isolated-n3-no-tcp-in", !tcp("n2", "n3"), "n2 reached n3 over TCP");
    check("isolated-majority-tcp", tcp("n1", "n2") && tcp("n2", "n1"), "n1/n2 lost TCP");
    check(
        "harness-still-reaches-isolated",
        ControlClient.ask(host("n3"), "ping", 1000).isPresent(),
        "the harness lost n3");

    net.partition(Grudges.oneWay("n1", "n2"));
    checkMatches("one-way-n1-deaf-to-n2", net.current());
    check("one-way-n2-hears-n1", delivered("n1", "n2"), "n2 did not hear n1");
    check("one-way-n1-blind-to-n2", blocked("n2", "n1"), "n1 heard n2");

    net.partition(Grudges.bridge(IDS, new SplittableRandom(5)));
    checkMatches("bridge", net.current());

    net.heal();
    check("heal-clears-grudge", net.current().isEmpty(), "grudge " + net.current());
    checkMatches("healed-all-reach-all", Grudge.NONE);
    check("healed-tcp", tcp("n3", "n1") && tcp("n1", "n3"), "no TCP after heal");
  }

  private void process(Path dir) throws IOException {
    for (String id : IDS) {
      Optional<Long> reported = StandInCluster.pid(host(id), 1000);
      long held = cluster.state(id).pid().orElse(-1);
      check("pid-is-the-node-" + id, reported.equals(Optional.of(held)), reported + " vs " + held);
    }

    cluster.pause("n2");
    check("paused-state", cluster.state("n2").phase() == Phase.PAUSED, "" + cluster.state("n2"));
    check("paused-silent", StandInCluster.pid(host("n2"), 800).isEmpty(), "n2 answered");
    check("others-answer", StandInCluster.pid(host("n1"), 1000).isPresent(), "n1 silent");
    cluster.resume("n2");
    check("resumed-answers", StandInCluster.pid(host("n2"), 2000).isPresent(), "n2 silent");

    long old = cluster.state("n3").pid().orElseThrow();
    cluster.kill("n3");
    check("killed-state", cluster.state("n3").phase() == Phase.KILLED, "" + cluster.state("n3"));
    check(
        "killed-gone",
        ProcessHandle.of(old).map(ProcessHandle::isAlive).orElse(false) == false,
        "alive");
    check("killed-silent", StandInCluster.pid(host("n3"), 500).isEmpty(), "n3 answered");
    cluster.start("n3");
    check("restarted-answers", StandInCluster.awaitAllAnswer(cluster, 15_000), "n3 silent");
    long fresh = cluster.state("n3").pid().orElseThrow();
    check(
        "restarted-new-pid",
        fresh != old && StandInCluster.pid(host("n3"), 1000).equals(Optional.of(fresh)),
        old + " -> " + fresh);

    cluster.stop("n1", java.time.Duration.ofSeconds(5));
    check("stopped-state", cluster.state("n1").phase() == Phase.STOPPED, "" + cluster.state("n1"));
    check("stopped-silent", StandInCluster.pid(host("n1"), 500).isEmpty(), "n1 answered");
    cluster.start();
    check("start-brings-back-stopped", StandInCluster.awaitAllAnswer(cluster, 15_000), "n1 silent");

    var nemesis = StandInCluster.nemesis(cluster, StandInCluster.SELF_WHEN_ANSWERING, 9);
    FaultOutcome paused = nemesis.start(Fault.pause(List.of("n1")));
    check("fault-pause-start", paused.ok() && paused.f().equals("start-pause"), "" + paused);
    check("fault-pause-silent", StandInCluster.pid(host("n1"), 800).isEmpty(), "n1 answered");
    FaultOutcome resumed = nemesis.stop(Fault.pause(List.of("n1")));
    check(
        "fault-pause-stop",
        resumed.ok() && StandInCluster.pid(host("n1"), 2000).isPresent(),
        "" + resumed);

    Path wal = Files.createDirectories(cluster.dataDir("n2").resolve("wal"));
    byte[] records = new byte[1000];
    java.util.Arrays.fill(records, (byte) 0x5a); // not zeros: those would be space written ahead
    Files.write(wal.resolve("00000000000000000001.wal"), records);
    Fault truncate = Fault.walTruncate("n2", 100);
    FaultOutcome damaged = nemesis.start(truncate);
    long size = Files.size(wal.resolve("00000000000000000001.wal"));
    check(
        "wal-truncated-while-down",
        damaged.ok() && size < 1000 && size >= 900 && cluster.state("n2").phase() == Phase.KILLED,
        damaged + " size " + size);
    FaultOutcome back = nemesis.stop(truncate);
    check(
        "wal-node-ready-after",
        back.ok() && back.value().get("nodes").toString().contains("n2=ready"),
        "" + back);

    nemesis.start(Fault.partition(Grudges.isolate(IDS, "n1")));
    cluster.pause("n3");
    cluster.kill("n2");
    List<String> problems = nemesis.healAll();
    check("heal-all-no-problems", problems.isEmpty(), "" + problems);
    check(
        "heal-all-everyone-answers",
        StandInCluster.awaitAllAnswer(cluster, 15_000),
        "a node is silent");
    check("heal-all-network", checkSilently(Grudge.NONE), "a pair cannot talk");

    var leader = cluster.leader(StandInCluster.FIRST_ANSWERING);
    check("leader-by-vote", leader.equals(Optional.of("n1")), "" + leader);

    cluster.collectLogs(dir.resolve("collected"));
    for (String id : IDS) {
      Path log = dir.resolve("collected").resolve(id).resolve(id + ".log");
      check(
          "logs-" + id,
          Files.isRegularFile(log) && Files.readString(log).contains(id + " listening"),
          log.toString());
    }
  }

  /** Prints every pid of the run, then waits (at most a minute) to be killed from outside. */
  private void hold(Path dir) {
    var pids = new java.util.ArrayList<Long>();
    pids.add(ProcessHandle.current().pid());
    ProcessHandle.current().children().forEach(child -> pids.add(child.pid()));
    System.out.println(
        "HOLD "
            + pids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")));
    System.out.flush();
    LockSupport.parkNanos(60_000_000_000L);
  }

  private void checkMatches(String name, Grudge grudge) throws IOException {
    for (String from : IDS) {
      for (String to : IDS) {
        if (!from.equals(to)) {
          boolean ok = grudge.cuts(from, to) ? blocked(from, to) : delivered(from, to);
          check(
              name + "-" + from + "-to-" + to,
              ok,
              grudge.cuts(from, to) ? "got through" : "was lost");
        }
      }
    }
  }

  private boolean checkSilently(Grudge grudge) throws IOException {
    for (String from : IDS) {
      for (String to : IDS) {
        if (!from.equals(to)
            && (grudge.cuts(from, to) ? !blocked(from, to) : !delivered(from, to))) {
          return false;
        }
      }
    }
    return true;
  }

  /** True when a datagram {@code from} sends reaches {@code to}. */
  private boolean delivered(String from, String to) {
    String token = "t" + TOKENS.incrementAndGet();
    ControlClient.ask(host(from), "udp " + host(to) + " " + token, 2000);
    return heard(to, token);
  }

  /**
   * True when a datagram {@code from} sends does not reach {@code to}: a later datagram straight
   * from the harness arriving first shows the earlier one had its chance.
   */
  private boolean blocked(String from, String to) throws IOException {
    String token = "t" + TOKENS.incrementAndGet();
    ControlClient.ask(host(from), "udp " + host(to) + " " + token, 2000);
    String marker = "m" + TOKENS.incrementAndGet();
    ControlClient.datagram(host(to), marker);
    return heard(to, marker)
        && ControlClient.ask(host(to), "heard " + token, 1000).equals(Optional.of("no"));
  }

  private boolean heard(String node, String token) {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (ControlClient.ask(host(node), "heard " + token, 1000).equals(Optional.of("yes"))) {
        return true;
      }
      LockSupport.parkNanos(5_000_000);
    }
    return false;
  }

  private boolean tcp(String from, String to) {
    return ControlClient.ask(host(from), "tcp " + host(to), 3000).equals(Optional.of("yes"));
  }

  private String host(String id) {
    return cluster.address(id).host();
  }

  private void check(String name, boolean ok, String detail) {
    if (!ok) {
      failures++;
    }
    System.out.println("CHECK " + name + (ok ? " ok" : " FAIL " + detail));
    System.out.flush();
  }
}
