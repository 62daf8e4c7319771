package dev.faultline.nemesis.net;

import dev.faultline.nemesis.os.Exec;
import dev.faultline.nemesis.os.Tool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The iptables flavour that works inside a node's namespace here. Debian ships {@code iptables} as
 * an alternative for {@code iptables-nft} or {@code iptables-legacy}; a kernel may lack either
 * backend, so each is tried with a real rule before use.
 */
public record Iptables(String command, String restore) {

  private static final List<String> FLAVOURS =
      List.of("iptables", "iptables-legacy", "iptables-nft");

  /**
   * Finds the first flavour that can add, list and flush a DROP rule in the namespace of {@code
   * pid}.
   */
  public static Iptables detect(long holderPid) {
    var failures = new ArrayList<String>();
    for (String flavour : FLAVOURS) {
      Optional<java.nio.file.Path> cmd = Tool.find(flavour);
      Optional<java.nio.file.Path> restore = Tool.find(flavour + "-restore");
      if (cmd.isEmpty() || restore.isEmpty()) {
        failures.add(flavour + ": not installed");
        continue;
      }
      var candidate = new Iptables(cmd.get().toString(), restore.get().toString());
      var applied = candidate.apply(holderPid, List.of("10.77.0.253"));
      var listed = Exec.run(nsenter(holderPid, List.of(candidate.command, "-S", "INPUT")));
      var flushed = candidate.apply(holderPid, List.of());
      if (applied.ok() && listed.output().contains("10.77.0.253") && flushed.ok()) {
        return candidate;
      }
      failures.add(flavour + ": " + (applied.ok() ? listed.output() : applied.output()).strip());
    }
    throw new IllegalStateException(
        "no working iptables inside the node namespace ("
            + String.join("; ", failures)
            + "): install the Debian package 'iptables'");
  }

  /**
   * Replaces the filter table of the namespace of {@code pid} with DROP rules for packets from
   * {@code sources}, in one atomic {@code iptables-restore}.
   */
  public Exec.Result apply(long holderPid, Collection<String> sources) {
    var rules = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n");
    rules.append(":OUTPUT ACCEPT [0:0]\n");
    for (String source : sources) {
      rules.append("-A INPUT -s ").append(source).append("/32 -j DROP\n");
    }
    rules.append("COMMIT\n");
    return Exec.run(
        nsenter(holderPid, List.of(restore)), rules.toString(), java.time.Duration.ofSeconds(10));
  }

  static List<String> nsenter(long pid, List<String> command) {
    var argv = new ArrayList<String>();
    argv.addAll(
        List.of(Tool.NSENTER.require().toString(), "--target", Long.toString(pid), "--net", "--"));
    argv.addAll(command);
    return argv;
  }
}
