package dev.faultline.testbed.run.system.zookeeper;

import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.NodeLauncher;
import dev.faultline.nemesis.cluster.NodeSpec;
import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.testbed.run.ClientHomes;
import dev.faultline.testbed.run.system.DebianPackage;
import dev.faultline.testbed.run.system.FourLetterWord;
import dev.faultline.testbed.run.system.NodeContext;
import dev.faultline.testbed.run.system.OptionSchema;
import dev.faultline.testbed.run.system.SystemBase;
import dev.faultline.testbed.run.system.SystemNodes;
import dev.faultline.testbed.run.system.SystemSpec;
import dev.faultline.workloads.client.ClientFactory;
import dev.faultline.workloads.client.PortClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Apache ZooKeeper (Debian {@code zookeeper}) as a system under test: an ensemble of one server per
 * node ({@code QuorumPeerMain} run by this machine's Java), clients through the official Java
 * client. {@code reads=sync} calls {@code sync()} before each read, {@code local} reads the
 * server's own copy, which ZooKeeper documents as possibly stale.
 */
public final class ZooKeeperSystem extends SystemBase {
  static final int CLIENT_PORT = 2181;
  static final int QUORUM_PORT = 2888;
  static final int ELECTION_PORT = 3888;
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
  private static final String JAR = "/usr/share/java/zookeeper.jar";
  private static final DebianPackage ZOOKEEPER =
      new DebianPackage(
          "zkServer.sh", List.of(Path.of("/usr/share/zookeeper/bin/zkServer.sh")), "zookeeper");

  public ZooKeeperSystem(SystemSpec spec) {
    super(
        "zookeeper",
        new OptionSchema("zookeeper").choice("reads", List.of("sync", "local")).resolve(spec),
        PROCESS_AND_CLOCK_FAULTS);
  }

  @Override
  public String install() {
    ZOOKEEPER.require();
    return version();
  }

  @Override
  public String version() {
    if (ZOOKEEPER.find().isEmpty()) {
      return "unknown";
    }
    return DebianPackage.firstLine(List.of("dpkg-query", "-W", "-f=${Version}", "zookeeper"));
  }

  @Override
  public SystemNodes open(NodeContext context) {
    ZOOKEEPER.require();
    if (!Files.isRegularFile(Path.of(JAR))) {
      throw new IllegalStateException(
          JAR + " is missing: reinstall the Debian package 'zookeeper'");
    }
    return new Nodes(context, option("reads").equals("sync"));
  }

  private static final class Nodes implements SystemNodes {
    private final NodeContext context;
    private final boolean sync;

    Nodes(NodeContext context, boolean sync) {
      this.context = context;
      this.sync = sync;
    }

    /**
     * {@code zoo.cfg} and {@code myid} written into the node's directory, the server started with
     * this machine's Java, logging to its output through slf4j-simple where Debian ships it.
     */
    @Override
    public NodeLauncher launcher() {
      return (self, all) -> {
        Path dir = context.nodeDir(self.id());
        Path data = dir.resolve("data");
        Path config = dir.resolve("zoo.cfg");
        var lines =
            new ArrayList<>(
                List.of(
                    "tickTime=500",
                    "initLimit=20",
                    "syncLimit=4",
                    "dataDir=" + data,
                    "clientPort=" + CLIENT_PORT,
                    "clientPortAddress=" + self.host(),
                    "4lw.commands.whitelist=srvr,ruok",
                    "admin.enableServer=false",
                    "maxClientCnxns=0"));
        for (NodeAddress a : all) {
          lines.add(
              "server." + a.index() + "=" + a.host() + ":" + QUORUM_PORT + ":" + ELECTION_PORT);
        }
        try {
          Files.createDirectories(data);
          Files.write(config, lines);
          Files.writeString(data.resolve("myid"), self.index() + "\n");
        } catch (IOException e) {
          throw new UncheckedIOException("node " + self.id() + ": cannot write " + config, e);
        }
        String classpath = JAR;
        if (Files.isRegularFile(Path.of("/usr/share/java/slf4j-simple.jar"))) {
          classpath += ":/usr/share/java/slf4j-simple.jar";
        }
        List<String> argv =
            List.of(
                java(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dzookeeper.jmx.log4j.disable=true",
                "-cp",
                classpath,
                "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                config.toString());
        return new NodeSpec(self.id(), argv, Map.of(), dir, data, dir.resolve("stdout.log"));
      };
    }

    private static String java() {
      return ProcessHandle.current()
          .info()
          .command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The leader names itself in {@code srvr} ({@code Mode: leader}); a follower names nobody. */
    @Override
    public LeaderProbe leaderProbe() {
      return node -> mode(node).filter("leader"::equals).map(m -> node.id());
    }

    /** The server is in the quorum: {@code srvr} says leader or follower. */
    @Override
    public boolean ready(NodeAddress node) {
      return mode(node).filter(m -> m.equals("leader") || m.equals("follower")).isPresent();
    }

    private static Optional<String> mode(NodeAddress node) {
      return FourLetterWord.ask(node.host(), CLIENT_PORT, "srvr", PROBE_TIMEOUT, 4096)
          .flatMap(
              answer ->
                  answer
                      .lines()
                      .filter(l -> l.startsWith("Mode: "))
                      .map(l -> l.substring(6).strip())
                      .findFirst());
    }

    /**
     * A ZooKeeper session per process, connected to one server only (process {@code p} to server
     * {@code (p mod concurrency) mod n}); the fresh process after an {@code info} opens a new one.
     */
    @Override
    public ClientFactory clients(Duration timeout, int concurrency) {
      List<NodeAddress> nodes = context.nodes();
      return process -> {
        NodeAddress home = ClientHomes.home(process, concurrency, nodes);
        return new PortClient(
            ZooKeeperPort.open(home.hostPort(CLIENT_PORT), home.id(), timeout, sync));
      };
    }

    @Override
    public void keep(String nodeId, Path target) throws IOException {
      Path config = context.nodeDir(nodeId).resolve("zoo.cfg");
      if (Files.isRegularFile(config)) {
        Files.copy(
            config, target.resolve("zoo.cfg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
