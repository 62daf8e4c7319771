package dev.faultline.nemesis.net;

import dev.faultline.nemesis.os.Exec;
import dev.faultline.nemesis.os.Spawner;
import dev.faultline.nemesis.os.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The nodes' network inside the sandbox: a bridge {@code fl0} (10.77.0.254/24, the harness's own
 * address) and, per node, a network namespace held by a long-lived process, joined to the bridge by
 * a veth pair, with address 10.77.0.N. Closing it kills the holders, and each namespace (with its
 * veth and iptables rules) dies with the last process in it.
 */
public final class SandboxNet implements NodeNetwork {
  public static final String BRIDGE = "fl0";
  public static final String HARNESS_ADDRESS = "10.77.0.254";
  private static final Duration NAMESPACE_WAIT = Duration.ofSeconds(5);

  private final List<NodeAddress> addresses;
  private final Map<String, Process> holders;
  private final Net net;
  private final Iptables iptables;

  private SandboxNet(
      List<NodeAddress> addresses, Map<String, Process> holders, Net net, Iptables iptables) {
    this.addresses = List.copyOf(addresses);
    this.holders = holders;
    this.net = net;
    this.iptables = iptables;
  }

  /**
   * Builds the bridge and one namespace per node, in order: the i-th id gets 10.77.0.i.
   *
   * @throws IllegalStateException when not inside the sandbox or a step fails (naming the step)
   */
  public static SandboxNet create(List<String> nodeIds) {
    if (!NetworkSandbox.isInside()) {
      throw new IllegalStateException(
          "SandboxNet must be created inside the network sandbox: call"
              + " NetworkSandbox.reexecInside first (it never touches the host's network)");
    }
    if (nodeIds.isEmpty() || nodeIds.size() > 253) {
      throw new IllegalArgumentException("between 1 and 253 nodes, got " + nodeIds.size());
    }
    NetworkSandbox.exitWithParent();
    String ip = Tool.IP.require().toString();
    // This namespace is the run's own: links of these names are what an earlier run of the same
    // process (--test-count) or a run killed before its close() left behind.
    removeLinks(ip);
    ipBatch(
        ip,
        List.of(),
        "link set lo up\n"
            + ("link add " + BRIDGE + " type bridge\n")
            + ("addr add " + HARNESS_ADDRESS + "/24 dev " + BRIDGE + "\n")
            + ("link set " + BRIDGE + " up\n"));
    var holders = new LinkedHashMap<String, Process>();
    var addresses = new ArrayList<NodeAddress>();
    try {
      for (int i = 0; i < nodeIds.size(); i++) {
        String id = nodeIds.get(i);
        int index = i + 1;
        String host = "10.77.0." + index;
        Process holder = startHolder(id);
        holders.put(id, holder);
        String outer = "vfl" + index;
        String inner = "pfl" + index;
        ipBatch(
            ip,
            List.of(),
            ("link add " + outer + " type veth peer name " + inner + "\n")
                + ("link set " + inner + " netns " + holder.pid() + "\n")
                + ("link set " + outer + " master " + BRIDGE + " up\n"));
        ipBatch(
            ip,
            Iptables.nsenter(holder.pid(), List.of()),
            "link set lo up\n"
                + ("link set " + inner + " name eth0\n")
                + ("addr add " + host + "/24 dev eth0\n")
                + "link set eth0 up\n");
        addresses.add(new NodeAddress(id, index, host));
      }
      var iptables = Iptables.detect(holders.values().iterator().next().pid());
      var pids = new LinkedHashMap<String, Long>();
      var hosts = new LinkedHashMap<String, String>();
      for (NodeAddress a : addresses) {
        pids.put(a.id(), holders.get(a.id()).pid());
        hosts.put(a.id(), a.host());
      }
      return new SandboxNet(addresses, holders, new IptablesNet(pids, hosts, iptables), iptables);
    } catch (RuntimeException e) {
      stopHolders(holders.values());
      removeLinks(ip);
      throw e;
    }
  }

  /**
   * Deletes the bridge and the harness-side veth of each node (deleting one end of a veth pair
   * deletes both). A veth may vanish on its own meanwhile (its namespace's holder just died), so
   * each link is deleted by itself, and only a link still present afterwards is an error.
   */
  private static void removeLinks(String ip) {
    List<String> ours = ourLinks(ip);
    for (String name : ours) {
      Exec.run(List.of(ip, "link", "del", name));
    }
    List<String> left = ourLinks(ip);
    if (!left.isEmpty()) {
      throw new IllegalStateException(
          "cannot delete the sandbox's links " + left + " (ip link del failed)");
    }
  }

  /** The links of this namespace that the sandbox creates: the bridge and the nodes' veths. */
  private static List<String> ourLinks(String ip) {
    List<String> ours = new ArrayList<>();
    for (String line : Exec.run(List.of(ip, "-o", "link", "show")).output().split("\n")) {
      // "12: vfl1@if11: <BROADCAST,...": the name is the second field, up to '@' or ':'.
      String[] f = line.split(":\\s+", 3);
      if (f.length >= 2) {
        String name = f[1].split("@", 2)[0].strip();
        if (name.equals(BRIDGE) || name.matches("vfl\\d+")) {
          ours.add(name);
        }
      }
    }
    return ours;
  }

  /** Kills the namespace holders and waits (bounded) until they are gone. */
  private static void stopHolders(java.util.Collection<Process> holders) {
    holders.forEach(Process::destroyForcibly);
    long deadline = System.nanoTime() + NAMESPACE_WAIT.toNanos();
    for (Process p : holders) {
      try {
        p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Process startHolder(String id) {
    var argv =
        Spawner.dieWithParent(
            List.of(Tool.UNSHARE.require().toString(), "--net", "sleep", "infinity"));
    Process holder =
        Spawner.start(
            new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD));
    // unshare(2) happens after the fork; moving a veth in before it would land in our namespace.
    long deadline = System.nanoTime() + NAMESPACE_WAIT.toNanos();
    Path ours = Path.of("/proc/self/ns/net");
    Path theirs = Path.of("/proc/" + holder.pid() + "/ns/net");
    while (System.nanoTime() < deadline && holder.isAlive()) {
      try {
        if (!Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(ours))) {
          return holder;
        }
      } catch (IOException notYet) {
        // The child is between fork and exec.
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
    holder.destroyForcibly();
    throw new IllegalStateException(
        "namespace holder for "
            + id
            + " did not enter a new network namespace within "
            + NAMESPACE_WAIT.toSeconds()
            + " s (exit "
            + (holder.isAlive() ? "none" : holder.exitValue())
            + ")");
  }

  /**
   * Runs {@code ip -batch -}; on failure, names the batch line that failed and what ip said of it
   * ("RTNETLINK answers: File exists"), not only ip's last line ("Command failed -:1").
   */
  static void ipBatch(String ip, List<String> prefix, String commands) {
    var argv = new ArrayList<>(prefix);
    argv.addAll(List.of(ip, "-batch", "-"));
    Exec.Result r = Exec.run(argv, commands, Duration.ofSeconds(10));
    if (!r.ok()) {
      throw new IllegalStateException(batchFailure(commands, r));
    }
  }

  static String batchFailure(String commands, Exec.Result r) {
    String[] lines = commands.split("\n");
    String[] out = r.output().strip().split("\n");
    String failed = null;
    String why = null;
    for (int i = 0; i < out.length; i++) {
      var m = FAILED_LINE.matcher(out[i].strip());
      if (m.matches()) {
        int n = Integer.parseInt(m.group(1));
        failed = n >= 1 && n <= lines.length ? lines[n - 1] : null;
        why = i > 0 ? out[i - 1].strip() : null;
      }
    }
    if (failed == null) {
      return String.join(" ", r.argv())
          + " exited with "
          + r.exitCode()
          + ": "
          + r.output().strip();
    }
    return "ip " + failed + (why == null || why.isEmpty() ? "" : ": " + why);
  }

  private static final java.util.regex.Pattern FAILED_LINE =
      java.util.regex.Pattern.compile("Command failed -:(\\d+)");

  @Override
  public List<NodeAddress> addresses() {
    return addresses;
  }

  /**
   * {@code nsenter --target <holder> --net --}: nsenter execs, so the launched pid is the
   * program's.
   */
  @Override
  public List<String> launchPrefix(String nodeId) {
    address(nodeId);
    return Iptables.nsenter(holders.get(nodeId).pid(), List.of());
  }

  @Override
  public Net net() {
    return net;
  }

  /** The iptables flavour found to work in the node namespaces. */
  public Iptables iptables() {
    return iptables;
  }

  /** The pid holding the node's namespace (for tools that enter it). */
  public long holderPid(String nodeId) {
    address(nodeId);
    return holders.get(nodeId).pid();
  }

  /**
   * Kills the namespace holders, waits for them, and deletes the bridge and every node's veth, so
   * that the next run of this process can build the same names at once.
   */
  @Override
  public void close() {
    stopHolders(holders.values());
    try {
      removeLinks(Tool.IP.require().toString());
    } catch (RuntimeException e) {
      // The next create() removes what is left and names what it cannot.
      System.err.println("faultline: sandbox teardown: " + e.getMessage());
    }
  }
}
