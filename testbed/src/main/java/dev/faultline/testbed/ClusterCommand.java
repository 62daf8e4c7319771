package dev.faultline.testbed;

import dev.faultline.api.config.ConfigException;
import dev.faultline.api.config.NodeBug;
import dev.faultline.testbed.cluster.ClusterState;
import dev.faultline.testbed.cluster.NodeReplacement;
import dev.faultline.testbed.cluster.NodeView;
import dev.faultline.testbed.cluster.ProcessCluster;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code faultline cluster up|status|down|replace-node}: a local cluster of node processes on
 * loopback.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Run a local Faultline cluster: separate 'faultline node' processes on loopback ports,"
          + " detached, with their data and logs under one directory (default"
          + " ./faultline-cluster)."
    },
    subcommands = {
      ClusterCommand.Up.class,
      ClusterCommand.Status.class,
      ClusterCommand.Down.class,
      ClusterCommand.ReplaceNode.class
    })
public final class ClusterCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final String DEFAULT_DATA = "faultline-cluster";

  /** Node i of a local cluster serves HTTP on 18079+i, gRPC on 18179+i, Raft on 18279+i. */
  static final int DEFAULT_BASE_PORT = 18080;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing a subcommand of 'cluster': up, status, down or replace-node.");
  }

  /** Refuses a {@code --data} that names a file rather than a cluster's folder. */
  static void requireFolder(CommandLine.Model.CommandSpec spec, Path data) {
    if (Files.exists(data) && !Files.isDirectory(data)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--data "
              + data
              + ": is a file, not a folder; --data names the cluster's folder of node data and"
              + " logs (default ./"
              + DEFAULT_DATA
              + ")");
    }
  }

  /** {@code faultline cluster up}. */
  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = {
        "Start N nodes as background processes, wait until they agree on a leader, print every"
            + " endpoint. Node i serves HTTP on BASE+i-1, gRPC on BASE+100+i-1, Raft on"
            + " BASE+200+i-1. Each node's data, node.log and stdout.log are in DATA/nI; the pids"
            + " and ports in DATA/cluster.json."
      })
  static final class Up implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--nodes",
        defaultValue = "3",
        description = "Nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
        names = "--data",
        defaultValue = DEFAULT_DATA,
        paramLabel = "DIR",
        description = "Cluster directory (default ${DEFAULT-VALUE}).")
    Path data;

    @Option(
        names = "--base-port",
        defaultValue = "" + DEFAULT_BASE_PORT,
        description =
            "First HTTP port (default ${DEFAULT-VALUE}: clear of a single node's 8080, 9090 and"
                + " 7070 and of 'faultline serve' on 8070).")
    int basePort;

    @Option(
        names = "--host",
        defaultValue = "127.0.0.1",
        description = "Address every node binds (default ${DEFAULT-VALUE}).")
    String host;

    @Option(
        names = "--bug",
        paramLabel = "NAME",
        description = "A deliberate bug for every node (repeatable); see 'faultline node --help'.")
    List<String> bugs = new ArrayList<>();

    @Option(
        names = "--node-option",
        paramLabel = "NAME=VALUE",
        description = "Any node option for every node, e.g. --node-option tick-ms=20 (repeatable).")
    Map<String, String> nodeOptions = new LinkedHashMap<>();

    @Option(
        names = "--tls",
        description =
            "Generate a throwaway CA, node and client certificates and bearer tokens into DATA"
                + " (ca.pem, nI.pem, nI-key.pem, client.pem, client-key.pem, tokens,"
                + " admin.token) and run the nodes with HTTPS, gRPC over TLS, mutual TLS between"
                + " peers and tokens required.")
    boolean tls;

    @Option(
        names = "--timeout",
        defaultValue = "60s",
        converter = DurationConverter.class,
        description = "How long to wait for a leader (default ${DEFAULT-VALUE}).")
    Duration timeout;

    /** Refuses, before any node starts, what would only fail once nodes run. */
    private void validate() {
      requireFolder(spec, data);
      for (String bug : bugs) {
        try {
          NodeBug.fromName(bug);
        } catch (ConfigException e) {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "--bug " + bug + ": not a deliberate bug; known bugs: " + NodeBug.names());
        }
      }
    }

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      validate();
      ProcessCluster cluster =
          ProcessCluster.up(
              new ProcessCluster.Options(
                  nodes,
                  data,
                  host,
                  basePort,
                  bugs,
                  nodeOptions,
                  ProcessCluster.defaultCommand(),
                  timeout,
                  tls));
      String leader = cluster.awaitLeader(timeout);
      out.println(
          "faultline cluster of "
              + nodes
              + " nodes is up in "
              + cluster.dir()
              + "; leader "
              + leader);
      String scheme = tls ? "https" : "http";
      for (ClusterState.Node n : cluster.state().nodes()) {
        out.printf(
            "  %s pid %d  http=%s://%s  grpc=%s  peer=%s  log=%s%n",
            n.id(), n.pid(), scheme, n.http(), n.grpc(), n.peer(), n.logFile());
      }
      String first = cluster.state().nodes().get(0).http();
      if (tls) {
        Path dir = cluster.dir();
        // --location-trusted: curl drops the Authorization header on a redirect to another port.
        String curl =
            "curl --cacert "
                + dir.resolve("ca.pem")
                + " -H \"Authorization: Bearer $(cat "
                + dir.resolve("admin.token")
                + ")\" --location-trusted";
        out.println("TLS on: CA " + dir.resolve("ca.pem") + ", tokens " + dir.resolve("tokens"));
        out.println(
            "try: " + curl + " -X PUT --data-binary hello https://" + first + "/v1/kv/greeting");
        out.println("     " + curl + " https://" + first + "/v1/kv/greeting");
      } else {
        out.println("try: curl -L -X PUT --data-binary hello http://" + first + "/v1/kv/greeting");
        out.println("     curl -L http://" + first + "/v1/kv/greeting");
      }
      out.println("stop: faultline cluster down --data " + cluster.dir());
      out.flush();
      return ExitCode.VALID;
    }
  }

  /** {@code faultline cluster status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show each node of the cluster: pid and whether it runs, and its role, term, leader,"
            + " commit and applied index from GET /v1/cluster. Exit 0 when every node runs and"
            + " they agree on a leader, 1 otherwise, 3 when there is no cluster."
      })
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--data",
        defaultValue = DEFAULT_DATA,
        paramLabel = "DIR",
        description = "Cluster directory (default ${DEFAULT-VALUE}).")
    Path data;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      requireFolder(spec, data);
      ProcessCluster cluster = ProcessCluster.attach(data);
      List<NodeView> views = cluster.views();
      out.printf(
          "%-4s %-8s %-6s %-22s %-10s %-6s %-6s %-10s %-10s%n",
          "id", "pid", "alive", "http", "role", "term", "leader", "commit", "applied");
      boolean healthy = true;
      String leader = null;
      for (NodeView v : views) {
        out.printf(
            "%-4s %-8d %-6s %-22s %-10s %-6s %-6s %-10s %-10s%s%n",
            v.id(),
            v.pid(),
            v.alive() ? "yes" : "no",
            v.http(),
            dash(v.role()),
            dash(v.term()),
            dash(v.leader()),
            dash(v.commitIndex()),
            dash(v.appliedIndex()),
            v.answered() ? "" : "  (" + v.error() + ")");
        healthy &= v.alive() && v.answered() && v.leader() != null;
        if (v.leader() != null) {
          healthy &= leader == null || leader.equals(v.leader());
          leader = v.leader();
        }
      }
      out.flush();
      return healthy ? ExitCode.VALID : ExitCode.INVALID;
    }

    private static String dash(Object o) {
      return o == null ? "-" : o.toString();
    }
  }

  /** {@code faultline cluster down}. */
  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = {
        "Stop every node of the cluster: SIGTERM, then SIGKILL for those still running after"
            + " --grace. Data and logs stay in the directory; the state file is removed."
      })
  static final class Down implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--data",
        defaultValue = DEFAULT_DATA,
        paramLabel = "DIR",
        description = "Cluster directory (default ${DEFAULT-VALUE}).")
    Path data;

    @Option(
        names = "--grace",
        defaultValue = "10s",
        converter = DurationConverter.class,
        description = "Time to stop after SIGTERM before SIGKILL (default ${DEFAULT-VALUE}).")
    Duration grace;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      requireFolder(spec, data);
      ProcessCluster cluster = ProcessCluster.attach(data);
      List<String> killed = cluster.down(grace);
      out.println(
          "faultline cluster in "
              + cluster.dir()
              + " is down"
              + (killed.isEmpty() ? "" : "; killed after " + grace.toSeconds() + " s: " + killed)
              + "; data and logs kept");
      out.flush();
      return ExitCode.VALID;
    }
  }

  /** {@code faultline cluster replace-node}. */
  @Command(
      name = "replace-node",
      mixinStandardHelpOptions = true,
      description = {
        "Replace node OLD (for example one that lost its data) through membership change: start a"
            + " node with a new id in join mode, add it as a learner, promote it once it has caught"
            + " up, remove OLD, and record the new node in DATA/cluster.json. OLD is never"
            + " restarted under its own id. A running OLD is stopped once removed. Exit 0 when"
            + " done, 3 with a one-line reason otherwise."
      })
  static final class ReplaceNode implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "OLD", description = "The node to replace.")
    String old;

    @Option(
        names = "--data",
        defaultValue = DEFAULT_DATA,
        paramLabel = "DIR",
        description = "Cluster directory (default ${DEFAULT-VALUE}).")
    Path data;

    @Option(
        names = "--timeout",
        defaultValue = "120s",
        converter = DurationConverter.class,
        description =
            "How long to wait for a leader and for the new node to catch up (default"
                + " ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      requireFolder(spec, data);
      ProcessCluster cluster = ProcessCluster.attach(data);
      NodeReplacement.Result r = new NodeReplacement(cluster, timeout).replace(old);
      ClusterState.Node n = r.added();
      out.println(
          "faultline cluster in "
              + cluster.dir()
              + ": replaced "
              + r.oldId()
              + " with "
              + n.id()
              + "; voters "
              + String.join(", ", r.voters()));
      String scheme = cluster.tls() ? "https" : "http";
      out.printf(
          "  %s pid %d  http=%s://%s  grpc=%s  peer=%s  log=%s%n",
          n.id(), n.pid(), scheme, n.http(), n.grpc(), n.peer(), n.logFile());
      out.flush();
      return ExitCode.VALID;
    }
  }
}
