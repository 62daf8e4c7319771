package dev.faultline.testbed.run.system.process;

import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.NodeLauncher;
import dev.faultline.nemesis.cluster.NodeSpec;
import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.testbed.run.ClientHomes;
import dev.faultline.testbed.run.HttpLeaderProbe;
import dev.faultline.testbed.run.system.NodeContext;
import dev.faultline.testbed.run.system.OptionSchema;
import dev.faultline.testbed.run.system.SystemBase;
import dev.faultline.testbed.run.system.SystemNodes;
import dev.faultline.testbed.run.system.SystemSpec;
import dev.faultline.workloads.client.ClientFactory;
import dev.faultline.workloads.client.PortClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Any program that serves Faultline's HTTP KV protocol (docs/PROTOCOL.md), started once per node
 * from the {@code --db-cmd} template through {@code sh -c 'exec ...'}. Clients are the api module's
 * HTTP client without sessions (a program need not implement them), so a write whose outcome is
 * unknown is never retried and ends as {@code info}.
 */
public final class ProcessSystem extends SystemBase {
  public static final int HTTP_PORT = 8080;
  public static final int PEER_PORT = 7070;
  public static final int GRPC_PORT = 9090;
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  /** The placeholders {@code --db-cmd} may use. */
  public static final List<String> PLACEHOLDERS =
      List.of(
          "{id}",
          "{host}",
          "{http_port}",
          "{peer_port}",
          "{grpc_port}",
          "{peers}",
          "{data_dir}",
          "{faultline}");

  private final String command;

  public ProcessSystem(SystemSpec spec) {
    super("process", new OptionSchema("process").resolve(spec), PROCESS_AND_CLOCK_FAULTS);
    this.command =
        spec.command()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--db process needs --db-cmd 'CMD ... {id} {http_port} {peers}"
                            + " {data_dir}'; see docs/PROTOCOL.md"));
    if (!command.contains("{http_port}")) {
      throw new IllegalArgumentException(
          "--db-cmd '"
              + command
              + "': use {http_port} (and {host}) so each node listens where clients look for it");
    }
  }

  @Override
  public String install() {
    return version();
  }

  /**
   * The first word of the command that names a file (the script or binary), with the start of its
   * SHA-256, so a run records which program it tested.
   */
  @Override
  public String version() {
    for (String word : command.split("\\s+")) {
      if (word.contains("{")) {
        continue;
      }
      Path file = Path.of(word);
      if (Files.isRegularFile(file) && !word.startsWith("-")) {
        return file.getFileName() + " sha256:" + sha256(file).substring(0, 12);
      }
    }
    return "unknown";
  }

  private static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      return "unreadable";
    }
  }

  /** The template with one node's values filled in. */
  static String fill(
      String template, NodeAddress self, List<NodeAddress> all, Path data, List<String> program) {
    String peers =
        all.stream()
            .map(a -> a.id() + "=" + a.hostPort(PEER_PORT))
            .collect(Collectors.joining(","));
    return template
        .replace("{id}", self.id())
        .replace("{host}", self.host())
        .replace("{http_port}", Integer.toString(HTTP_PORT))
        .replace("{peer_port}", Integer.toString(PEER_PORT))
        .replace("{grpc_port}", Integer.toString(GRPC_PORT))
        .replace("{peers}", peers)
        .replace("{data_dir}", data.toString())
        .replace("{faultline}", String.join(" ", program));
  }

  @Override
  public SystemNodes open(NodeContext context) {
    return new Nodes(context, command);
  }

  private static final class Nodes implements SystemNodes {
    private final NodeContext context;
    private final String command;
    private final HttpLeaderProbe probe =
        new HttpLeaderProbe(HTTP_PORT, PROBE_TIMEOUT, Optional.empty(), Optional.empty());

    Nodes(NodeContext context, String command) {
      this.context = context;
      this.command = command;
    }

    @Override
    public NodeLauncher launcher() {
      return (self, all) -> {
        Path dir = context.nodeDir(self.id());
        Path data = dir.resolve("data");
        String line = fill(command, self, all, data, context.program());
        return new NodeSpec(
            self.id(),
            List.of("sh", "-c", "exec " + line),
            Map.of(),
            dir,
            data,
            dir.resolve("stdout.log"));
      };
    }

    @Override
    public LeaderProbe leaderProbe() {
      return probe;
    }

    @Override
    public boolean ready(NodeAddress node) {
      return probe.ready(node);
    }

    /**
     * One {@link HttpProtocolPort} per process, bound to one node: process {@code p} talks to node
     * {@code (p mod concurrency) mod n}, following a redirect for that request only.
     */
    @Override
    public ClientFactory clients(Duration timeout, int concurrency) {
      List<NodeAddress> nodes = context.nodes();
      var byHostPort = new LinkedHashMap<String, String>();
      nodes.forEach(a -> byHostPort.put(a.hostPort(HTTP_PORT), a.id()));
      return process -> {
        NodeAddress home = ClientHomes.home(process, concurrency, nodes);
        return new PortClient(new HttpProtocolPort(home.hostPort(HTTP_PORT), byHostPort, timeout));
      };
    }

    @Override
    public void keep(String nodeId, Path target) throws IOException {
      Files.writeString(
          target.resolve("command.txt"),
          fill(
                  command,
                  context.nodes().stream().filter(a -> a.id().equals(nodeId)).findFirst().get(),
                  context.nodes(),
                  context.nodeDir(nodeId).resolve("data"),
                  context.program())
              + "\n");
    }
  }
}
