package dev.faultline.nemesis.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.faultline.nemesis.cluster.Cluster;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.NodeState;
import dev.faultline.nemesis.cluster.NodeState.Phase;
import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.nemesis.toxiproxy.Member;
import dev.faultline.nemesis.toxiproxy.ProxyPlacement;
import dev.faultline.nemesis.toxiproxy.ProxyTopology;
import dev.faultline.nemesis.toxiproxy.ToxiproxyControl;
import dev.faultline.nemesis.toxiproxy.ToxiproxyNet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.ToxiproxyContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A cluster of node containers on a private Docker network, each reaching its peers through a
 * Toxiproxy container (one proxy per directed link, see {@link ProxyTopology}). Kill, pause and
 * restart go through the Docker API. Each node's data directory is a host directory mounted at
 * {@code /data}, so disk faults and log collection work as for local nodes. {@link #close} removes
 * every container and the network.
 */
public final class DockerCluster implements Cluster {

  /** Ports inside every node container (the image's defaults). */
  public static final int HTTP_PORT = 8080;

  public static final int GRPC_PORT = 9090;
  public static final int PEER_PORT = 7070;

  static final String TOXIPROXY_IMAGE = "ghcr.io/shopify/toxiproxy:2.9.0";

  /** An image to use instead of {@link #TOXIPROXY_IMAGE}, e.g. one built locally. */
  public static final String TOXIPROXY_IMAGE_VARIABLE = "FAULTLINE_TOXIPROXY_IMAGE";

  static final int TOXIPROXY_API_PORT = 8474;
  static final String TOXIPROXY_ALIAS = "toxiproxy";
  static final int PROXY_BASE_PORT = 20000;
  private static final Duration HEALTH_READ_TIMEOUT = Duration.ofSeconds(5);

  private static final class Node {
    final String id;
    final int index;
    final int httpHostPort;
    final int grpcHostPort;
    GenericContainer<?> container;
    Phase phase = Phase.NOT_STARTED;
    Map<String, String> extraEnv = Map.of();

    Node(String id, int index, int httpHostPort, int grpcHostPort) {
      this.id = id;
      this.index = index;
      this.httpHostPort = httpHostPort;
      this.grpcHostPort = grpcHostPort;
    }
  }

  private final DockerClusterOptions options;
  private final Network network;
  private final ToxiproxyContainer toxiproxy;
  private final ToxiproxyNet net;
  private final ProxyTopology topology;
  private final Map<String, Node> nodes;
  private final java.util.concurrent.Future<String> image;

  private DockerCluster(
      DockerClusterOptions options,
      Network network,
      ToxiproxyContainer toxiproxy,
      ToxiproxyNet net,
      ProxyTopology topology,
      Map<String, Node> nodes) {
    this.options = options;
    this.network = network;
    this.toxiproxy = toxiproxy;
    this.net = net;
    this.topology = topology;
    this.nodes = nodes;
    this.image = options.image().resolve();
  }

  /** Why no Docker cluster can run here, or empty when a Docker engine answers. */
  public static Optional<String> unavailableReason() {
    try {
      if (DockerClientFactory.instance().isDockerAvailable()) {
        return Optional.empty();
      }
    } catch (RuntimeException e) {
      return Optional.of("no Docker engine answers: " + e.getMessage());
    }
    return Optional.of(
        "no Docker engine answers (is the daemon running? check 'docker info' or DOCKER_HOST)");
  }

  /**
   * Starts the network and the Toxiproxy container with every link's proxy; nodes start with {@link
   * #start()}.
   *
   * @throws IllegalStateException when no Docker engine answers
   */
  public static DockerCluster create(DockerClusterOptions options) {
    unavailableReason()
        .ifPresent(
            reason -> {
              throw new IllegalStateException("--cluster docker needs Docker: " + reason);
            });
    Map<String, Node> nodes = new LinkedHashMap<>();
    List<Member> members = new ArrayList<>();
    HostPorts ports = HostPorts.fromEnvironment();
    for (int i = 0; i < options.ids().size(); i++) {
      String id = options.ids().get(i);
      Node node = new Node(id, i + 1, ports.next(), ports.next());
      nodes.put(id, node);
      // Client addresses are the host's published ports, so redirects work for clients on the host.
      members.add(
          new Member(
              id,
              id + ":" + PEER_PORT,
              "127.0.0.1:" + node.httpHostPort,
              "127.0.0.1:" + node.grpcHostPort));
    }
    ProxyTopology topology =
        ProxyTopology.of(members, ProxyPlacement.container(TOXIPROXY_ALIAS, PROXY_BASE_PORT));
    Network network = Network.newNetwork();
    int apiPort = ports.next();
    ToxiproxyContainer toxiproxy =
        new ToxiproxyContainer(toxiproxyImage(System.getenv(TOXIPROXY_IMAGE_VARIABLE)))
            .withNetwork(network)
            .withNetworkAliases(TOXIPROXY_ALIAS);
    // Only the API is published, on loopback; the proxies serve the private network.
    toxiproxy.setExposedPorts(List.of(TOXIPROXY_API_PORT));
    toxiproxy.withCreateContainerCmdModifier(
        cmd ->
            cmd.getHostConfig()
                .withPublishAllPorts(false)
                .withPortBindings(
                    new PortBinding(
                        Ports.Binding.bindIpAndPort("127.0.0.1", apiPort),
                        ExposedPort.tcp(TOXIPROXY_API_PORT))));
    try {
      toxiproxy.start();
      URI api = URI.create("http://" + toxiproxy.getHost() + ":" + toxiproxy.getControlPort());
      ToxiproxyNet net =
          ToxiproxyNet.connect(
              ToxiproxyControl.of(api), topology, ToxiproxyNet.PartitionStyle.REFUSE);
      return new DockerCluster(options, network, toxiproxy, net, topology, nodes);
    } catch (RuntimeException e) {
      toxiproxy.stop();
      network.close();
      throw e;
    }
  }

  /**
   * The Toxiproxy image: {@code configured} (e.g. {@code faultline/toxiproxy:2.8.0} built from the
   * server binary) standing in for the upstream image, or the upstream image when none is set.
   */
  static DockerImageName toxiproxyImage(String configured) {
    if (configured == null || configured.isBlank()) {
      return DockerImageName.parse(TOXIPROXY_IMAGE);
    }
    return DockerImageName.parse(configured.trim())
        .asCompatibleSubstituteFor("ghcr.io/shopify/toxiproxy");
  }

  /** Partitions and toxic faults on the peer links. */
  public ToxiproxyNet net() {
    return net;
  }

  public ProxyTopology topology() {
    return topology;
  }

  /** The node's HTTP API as reached from this machine, {@code 127.0.0.1:<published port>}. */
  public String httpEndpoint(String nodeId) {
    return "127.0.0.1:" + node(nodeId).httpHostPort;
  }

  /** The node's gRPC API as reached from this machine. */
  public String grpcEndpoint(String nodeId) {
    return "127.0.0.1:" + node(nodeId).grpcHostPort;
  }

  @Override
  public List<String> nodeIds() {
    return List.copyOf(nodes.keySet());
  }

  /**
   * The node's address on the private network (reachable from a Linux host at the container ports
   * {@link #HTTP_PORT} etc.); {@code httpEndpoint} works everywhere. Before the first start, the
   * host is the node's network alias.
   */
  @Override
  public synchronized NodeAddress address(String nodeId) {
    Node node = node(nodeId);
    String host = nodeId;
    if (node.container != null && node.container.getContainerId() != null) {
      var networks = inspect(node).getNetworkSettings().getNetworks();
      host =
          networks.values().stream()
              .map(n -> n.getIpAddress())
              .filter(ip -> ip != null && !ip.isEmpty())
              .findFirst()
              .orElse(nodeId);
    }
    return new NodeAddress(nodeId, node.index, host);
  }

  /**
   * Starts every node that is not up, all at once: each new container's JVM start and health wait
   * overlap with the others' instead of following them, which was most of a cluster's start.
   */
  @Override
  public synchronized void start() {
    List<Node> fresh = new ArrayList<>();
    for (String id : nodes.keySet()) {
      if (state(id).isUp()) {
        continue;
      }
      Node node = node(id);
      if (node.container != null && node.container.getContainerId() != null) {
        start(id);
      } else {
        node.container = container(node);
        fresh.add(node);
      }
    }
    try {
      EachAtOnce.run(fresh, node -> node.container.start());
    } finally {
      for (Node node : fresh) {
        if (node.container.getContainerId() != null) {
          node.phase = Phase.RUNNING;
        }
      }
    }
  }

  @Override
  public synchronized void start(String nodeId) {
    Node node = node(nodeId);
    if (state(nodeId).isUp()) {
      throw new IllegalStateException("node " + nodeId + " is already up");
    }
    if (node.container != null && node.container.getContainerId() != null) {
      docker().startContainerCmd(node.container.getContainerId()).exec();
    } else {
      node.container = container(node);
      node.container.start();
    }
    node.phase = Phase.RUNNING;
  }

  private GenericContainer<?> container(Node node) {
    Path data = dataDir(node.id);
    try {
      Files.createDirectories(data);
      // The image's user may differ from ours; the data directory must be writable for it.
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + data + ": " + e.getMessage(), e);
    }
    Map<String, String> env = new HashMap<>(options.env());
    env.put("FAULTLINE_ID", node.id);
    env.put("FAULTLINE_PEERS", topology.peersLine(node.id));
    // The image binds 0.0.0.0 on a private test network; a node refuses that without TLS, or with
    // deliberate bugs, unless told it is on purpose.
    env.put("FAULTLINE_INSECURE", "true");
    env.put("FAULTLINE_ALLOW_BUGS", "true");
    env.putAll(node.extraEnv);
    GenericContainer<?> c =
        new GenericContainer<>(image)
            .withNetwork(network)
            .withNetworkAliases(node.id)
            .withEnv(env)
            .withExposedPorts(HTTP_PORT, GRPC_PORT)
            .withFileSystemBind(data.toAbsolutePath().toString(), "/data")
            .waitingFor(
                Wait.forHttp("/healthz")
                    .forPort(HTTP_PORT)
                    // A fresh JVM's first answers are slow on a loaded machine; each attempt that
                    // times out is retried, but one that waits long enough succeeds sooner.
                    .withReadTimeout(HEALTH_READ_TIMEOUT)
                    .withStartupTimeout(options.startTimeout()))
            .withCreateContainerCmdModifier(
                cmd -> {
                  cmd.withName("faultline-" + node.id + "-" + ProcessHandle.current().pid());
                  // Only these two, on loopback: not the image's other EXPOSEd ports.
                  cmd.getHostConfig()
                      .withPublishAllPorts(false)
                      .withPortBindings(
                          new PortBinding(
                              Ports.Binding.bindIpAndPort("127.0.0.1", node.httpHostPort),
                              ExposedPort.tcp(HTTP_PORT)),
                          new PortBinding(
                              Ports.Binding.bindIpAndPort("127.0.0.1", node.grpcHostPort),
                              ExposedPort.tcp(GRPC_PORT)));
                  hostUser().ifPresent(cmd::withUser);
                });
    return c;
  }

  /** Our uid:gid, so files the node writes stay ours (disk faults edit them); empty for root. */
  private static Optional<String> hostUser() {
    try {
      var unix = new com.sun.security.auth.module.UnixSystem();
      return unix.getUid() == 0
          ? Optional.empty()
          : Optional.of(unix.getUid() + ":" + unix.getGid());
    } catch (RuntimeException | LinkageError notUnix) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void stop(String nodeId, Duration grace) {
    Node node = node(nodeId);
    if (!state(nodeId).isUp()) {
      return;
    }
    if (node.phase == Phase.PAUSED) {
      docker().unpauseContainerCmd(node.container.getContainerId()).exec();
    }
    docker()
        .stopContainerCmd(node.container.getContainerId())
        .withTimeout((int) Math.max(1, grace.toSeconds()))
        .exec();
    node.phase = Phase.STOPPED;
  }

  /**
   * Stops every node at once, each with its grace: one after another, a teardown waited for the sum
   * of the containers' stops.
   */
  @Override
  public synchronized List<String> stopAll(Map<String, Duration> graces) {
    var problems = java.util.Collections.synchronizedList(new ArrayList<String>());
    List<Map.Entry<String, Duration>> each = List.copyOf(graces.entrySet());
    List<Runnable> stops = new ArrayList<>();
    for (var e : each) {
      Node node = node(e.getKey());
      if (!state(e.getKey()).isUp()) {
        continue;
      }
      String containerId = node.container.getContainerId();
      boolean paused = node.phase == Phase.PAUSED;
      stops.add(
          () -> {
            try {
              if (paused) {
                docker().unpauseContainerCmd(containerId).exec();
              }
              docker()
                  .stopContainerCmd(containerId)
                  .withTimeout((int) Math.max(1, e.getValue().toSeconds()))
                  .exec();
              node.phase = Phase.STOPPED;
            } catch (RuntimeException failed) {
              problems.add("could not stop " + e.getKey() + ": " + failed.getMessage());
            }
          });
    }
    EachAtOnce.run(stops, Runnable::run);
    return List.copyOf(problems);
  }

  @Override
  public synchronized void kill(String nodeId) {
    Node node = node(nodeId);
    if (!state(nodeId).isUp()) {
      return;
    }
    // SIGKILL works on a paused container too: the cgroup is thawed to deliver it.
    docker().killContainerCmd(node.container.getContainerId()).withSignal("KILL").exec();
    node.phase = Phase.KILLED;
  }

  @Override
  public synchronized void pause(String nodeId) {
    Node node = node(nodeId);
    NodeState state = state(nodeId);
    if (state.phase() != Phase.RUNNING) {
      throw new IllegalStateException("cannot pause node " + nodeId + ": it is " + state.phase());
    }
    docker().pauseContainerCmd(node.container.getContainerId()).exec();
    node.phase = Phase.PAUSED;
  }

  @Override
  public synchronized void resume(String nodeId) {
    Node node = node(nodeId);
    if (state(nodeId).phase() != Phase.PAUSED) {
      return;
    }
    docker().unpauseContainerCmd(node.container.getContainerId()).exec();
    node.phase = Phase.RUNNING;
  }

  /** A new environment needs a new container; the data directory is kept. */
  @Override
  public synchronized void restart(String nodeId, Map<String, String> extraEnv) {
    Node node = node(nodeId);
    kill(nodeId);
    if (!extraEnv.equals(node.extraEnv)) {
      if (node.container != null) {
        retire(node);
      }
      node.extraEnv = Map.copyOf(extraEnv);
    }
    start(nodeId);
  }

  @Override
  public synchronized NodeState state(String nodeId) {
    Node node = node(nodeId);
    if (node.container == null || node.container.getContainerId() == null) {
      return new NodeState(nodeId, node.phase, OptionalLong.empty(), OptionalInt.empty());
    }
    InspectContainerResponse.ContainerState s = inspect(node).getState();
    if (Boolean.FALSE.equals(s.getRunning())
        && (node.phase == Phase.RUNNING || node.phase == Phase.PAUSED)) {
      node.phase = Phase.EXITED;
    }
    OptionalLong pid =
        s.getPidLong() == null || s.getPidLong() == 0
            ? OptionalLong.empty()
            : OptionalLong.of(s.getPidLong());
    OptionalInt exit =
        Boolean.TRUE.equals(s.getRunning()) || s.getExitCodeLong() == null
            ? OptionalInt.empty()
            : OptionalInt.of(s.getExitCodeLong().intValue());
    return new NodeState(nodeId, node.phase, pid, exit);
  }

  @Override
  public Path dataDir(String nodeId) {
    node(nodeId);
    return options.runDir().resolve(nodeId).resolve("data");
  }

  @Override
  public Optional<String> leader(LeaderProbe probe) {
    Map<String, Integer> votes = new HashMap<>();
    for (String id : nodeIds()) {
      if (state(id).phase() != Phase.RUNNING) {
        continue;
      }
      try {
        probe.leaderSeenBy(address(id)).ifPresent(l -> votes.merge(l, 1, Integer::sum));
      } catch (Exception unreachable) {
        // A node that cannot answer names no leader.
      }
    }
    int best = votes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    List<String> top =
        votes.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey).toList();
    return top.size() == 1 ? Optional.of(top.get(0)) : Optional.empty();
  }

  /**
   * Writes each container's output so far to {@code <runDir>/<id>/stdout.log}, then copies logs.
   */
  @Override
  public synchronized void collectLogs(Path dir) {
    for (Node node : nodes.values()) {
      appendLogs(node);
      Path target = dir.resolve(node.id);
      try {
        Files.createDirectories(target);
        Path stdout = options.runDir().resolve(node.id).resolve("stdout.log");
        if (Files.isRegularFile(stdout)) {
          Files.copy(
              stdout,
              target.resolve("stdout.log"),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path data = dataDir(node.id);
        if (Files.isDirectory(data)) {
          try (var logs = Files.newDirectoryStream(data, "*.log")) {
            for (Path log : logs) {
              Files.copy(
                  log,
                  target.resolve(log.getFileName()),
                  java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot collect logs of " + node.id + " into " + target + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Writes {@code <runDir>/<id>/stdout.log}: the output of the node's replaced containers, then the
   * current container's (Docker keeps a container's output across its restarts).
   */
  private void appendLogs(Node node) {
    Path stdout = options.runDir().resolve(node.id).resolve("stdout.log");
    try {
      Files.createDirectories(stdout.getParent());
      Path earlier = stdout.resolveSibling("stdout.replaced.log");
      String before = Files.isRegularFile(earlier) ? Files.readString(earlier) : "";
      String now = node.container == null ? "" : node.container.getLogs();
      Files.writeString(stdout, before + now);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + stdout + ": " + e.getMessage(), e);
    }
  }

  /** Keeps the container's output, then removes the container. */
  private void retire(Node node) {
    Path earlier = options.runDir().resolve(node.id).resolve("stdout.replaced.log");
    try {
      Files.createDirectories(earlier.getParent());
      Files.writeString(
          earlier,
          node.container.getLogs(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + earlier + ": " + e.getMessage(), e);
    }
    node.container.stop();
    node.container = null;
  }

  @Override
  public synchronized void close() {
    try {
      // All at once: each stop is a few Docker API calls that need not wait for the others'.
      EachAtOnce.run(
          nodes.values().stream().filter(node -> node.container != null).toList(),
          node -> {
            try {
              appendLogs(node);
            } catch (RuntimeException ignored) {
              // Logs are best effort at teardown; the containers must go regardless.
            }
            node.container.stop();
            node.phase = Phase.KILLED;
          });
    } finally {
      try {
        net.close();
        toxiproxy.stop();
      } finally {
        network.close();
      }
    }
  }

  private Node node(String nodeId) {
    Node node = nodes.get(nodeId);
    if (node == null) {
      throw new IllegalArgumentException("unknown node " + nodeId + ": not in " + nodes.keySet());
    }
    return node;
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  private static InspectContainerResponse inspect(Node node) {
    return docker().inspectContainerCmd(node.container.getContainerId()).exec();
  }
}
