package dev.faultline.testbed;

import dev.faultline.api.config.Addresses;
import dev.faultline.api.config.ConfigException;
import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeBug;
import dev.faultline.api.config.NodeConfig;
import dev.faultline.api.node.FaultlineNode;
import dev.faultline.testbed.cluster.NodeLogging;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code faultline node}: runs one Faultline node in the foreground until SIGTERM. Options come
 * from {@link ConfigSources} (defaults, {@code --config FILE}, {@code FAULTLINE_*}, flags); logs go
 * to {@code DATA_DIR/node.log} and stdout; a refused start exits 3 with a one-line reason.
 */
@Command(
    name = "node",
    description = {
      "Run one Faultline node (Raft + durable log + HTTP and gRPC APIs) until SIGTERM.",
      "",
      "Usage: faultline node --id n1 --data DIR --http HOST:PORT --grpc HOST:PORT --peer HOST:PORT"
          + " --peers n1=HOST:PORT,n2=HOST:PORT,... [--bug NAME]... [--config FILE] [--OPTION"
          + " VALUE]...",
      "",
      "Every option of config/faultline.example.yml is a flag --OPTION VALUE and an environment"
          + " variable FAULTLINE_OPTION (upper snake case); flags win over the environment, which"
          + " wins over --config FILE, which wins over the defaults. Short flags: --data, --http,"
          + " --grpc, --peer, --bug (repeatable).",
      "",
      "Joining a running cluster: --join starts the node with no configuration of its own; it"
          + " never campaigns and waits for the leader to add it (POST /v1/admin/members, then"
          + " promote; 'faultline cluster replace-node' does both). --peers then lists the current"
          + " members. Never reuse the id of a node that lost its data (docs/CLUSTER.md).",
      "",
      "Deliberate bugs (never on by default): "
          + "stale-read, ack-before-commit,"
          + " lost-rebuild-writes, vote-not-persisted, commit-previous-term,"
          + " read-without-quorum-check, truncate-committed.",
      "",
      "Security (docs/SECURITY.md): --tls-cert, --tls-key, --tls-ca switch on HTTPS, gRPC over TLS"
          + " and mutual TLS between peers; --auth-tokens FILE requires bearer tokens. A node whose"
          + " addresses are not all loopback refuses to start without TLS unless --insecure is"
          + " given, and refuses deliberate bugs there unless --allow-bugs is given.",
      "",
      "Logs (INFO, millisecond timestamps) go to DATA_DIR/node.log and stdout. When the servers"
          + " listen, one line 'faultline node ID ready: http=... grpc=... peer=... data=...' is"
          + " printed. Exit 3 with a one-line error on bad configuration or a refused start (for"
          + " example a corrupt WAL segment)."
    })
public final class NodeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @CommandLine.Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    NodeConfig config;
    try {
      config = ConfigSources.load(args, System.getenv());
      Files.createDirectories(config.dataDir());
    } catch (ConfigException e) {
      err.println("faultline node: " + e.getMessage());
      err.flush();
      return ExitCode.ERROR;
    } catch (IOException e) {
      err.println("faultline node: cannot create the data directory: " + e.getMessage());
      err.flush();
      return ExitCode.ERROR;
    }
    NodeLogging.configure(config.dataDir().resolve("node.log"));
    Logger log = LoggerFactory.getLogger(NodeCommand.class);
    for (NodeBug bug : config.bugSet()) {
      log.warn(
          "node {}: DELIBERATE BUG '{}' IS ON, this node is wrong on purpose: {}",
          config.id(),
          bug.cliName(),
          bug.effect());
    }
    log.info(
        "node {} starting: data {}, http {}, grpc {}, peer {}, peers {}",
        config.id(),
        config.dataDir().toAbsolutePath(),
        config.httpAddress(),
        config.grpcAddress(),
        config.peerAddress(),
        config.peers());
    FaultlineNode node;
    try {
      node = FaultlineNode.start(config);
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      log.error("node {} refused to start: {}", config.id(), reason);
      NodeLogging.stop();
      err.println("faultline node " + config.id() + ": " + reason);
      err.flush();
      return ExitCode.ERROR;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("node {} stopping", config.id());
                  try {
                    node.close();
                    log.info("node {} stopped; log synced", config.id());
                  } catch (RuntimeException e) {
                    log.error("node {} did not stop cleanly: {}", config.id(), e.toString());
                  } finally {
                    NodeLogging.stop();
                    stopped.countDown();
                  }
                },
                "faultline-node-shutdown"));
    String ready =
        "faultline node "
            + config.id()
            + " ready: http="
            + Addresses.hostPart(config.httpAddress())
            + ":"
            + node.httpPort()
            + " grpc="
            + Addresses.hostPart(config.grpcAddress())
            + ":"
            + node.grpcPort()
            + " peer="
            + Addresses.hostPart(config.peerAddress())
            + ":"
            + node.peerPort()
            + " data="
            + config.dataDir().toAbsolutePath();
    log.info(ready);
    node.failed()
        .thenAcceptAsync(
            reason -> {
              // A node whose Raft loop stopped serves nothing: exit rather than linger half-alive.
              log.error("node {} stopped: {}", config.id(), reason);
              err.println("faultline node " + config.id() + " stopped: " + reason);
              err.flush();
              System.exit(ExitCode.ERROR);
            },
            r -> new Thread(r, "faultline-node-exit").start());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCode.VALID;
  }
}
