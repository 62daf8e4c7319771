package dev.faultline.testbed.run;

import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.nemesis.cluster.Cluster;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.docker.DockerCluster;
import dev.faultline.nemesis.docker.DockerClusterOptions;
import dev.faultline.nemesis.docker.NodeImage;
import dev.faultline.nemesis.net.Net;
import dev.faultline.nemesis.toxiproxy.ToxiproxyNet;
import dev.faultline.testbed.report.RunDirectory;
import dev.faultline.workloads.client.ClientFactory;
import dev.faultline.workloads.client.KvClientPort;
import dev.faultline.workloads.client.PortClient;
import dev.faultline.workloads.client.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster of node containers ({@code --cluster docker}): the image is built from the project's
 * {@code Dockerfile}, peer links go through a Toxiproxy container (partitions and link faults), and
 * kill, pause and restart go through the Docker API. Clients and probes reach each node at its
 * published ports on this machine's loopback.
 */
public final class DockerDeployment implements Deployment {
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  private final DockerCluster cluster;
  private final HttpLeaderProbe probe;
  private final String protocol;

  private DockerDeployment(DockerCluster cluster, String protocol) {
    this.cluster = cluster;
    this.protocol = protocol;
    this.probe =
        new HttpLeaderProbe(
            a -> cluster.httpEndpoint(a.id()), PROBE_TIMEOUT, Optional.empty(), Optional.empty());
  }

  /** The factory {@code faultline test --cluster docker} uses, building from {@code root}. */
  public static Deployment.Factory factory(Path root) {
    return (options, run) -> open(options, run, root);
  }

  static DockerDeployment open(TestOptions options, RunDirectory run, Path root) {
    DockerClusterOptions base =
        DockerClusterOptions.of(
            options.nodeIds(), NodeImage.fromDockerfile(root), run.work().toAbsolutePath());
    DockerClusterOptions withEnv =
        new DockerClusterOptions(
            base.ids(), base.image(), base.runDir(), environment(options), base.startTimeout());
    return new DockerDeployment(DockerCluster.create(withEnv), options.protocol());
  }

  /**
   * The node JVM's flags in a container: those of a local node (small heap, client compiler), and
   * the image's exit on running out of memory, which {@code JAVA_TOOL_OPTIONS} would otherwise
   * replace. The image's defaults (the server compiler, a heap of 75% of the machine) cost a node
   * several times the CPU to start, which a cluster of three on a small machine waits for.
   */
  static final String NODE_JVM_OPTIONS =
      String.join(" ", NodeCommandLine.NODE_JVM_FLAGS) + " -XX:+ExitOnOutOfMemoryError";

  /** The nodes' extra environment: their JVM's flags, and the deliberate bug, if any. */
  static Map<String, String> environment(TestOptions options) {
    var env = new HashMap<String, String>();
    env.put("JAVA_TOOL_OPTIONS", NODE_JVM_OPTIONS);
    options.bug().ifPresent(b -> env.put("FAULTLINE_BUGS", b));
    return env;
  }

  /**
   * The project root holding the {@code Dockerfile}: the current directory or one above it, or the
   * directory two above the jar ({@code <root>/testbed/target/faultline.jar}).
   *
   * @throws IllegalStateException naming where it looked
   */
  public static Path projectRoot() {
    var candidates = new java.util.ArrayList<Path>();
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      candidates.add(p);
    }
    NodeCommandLine.thisJar()
        .map(j -> j.getParent() == null ? null : j.getParent().getParent())
        .map(Path::getParent)
        .ifPresent(candidates::add);
    for (Path c : candidates) {
      if (Files.isRegularFile(c.resolve("Dockerfile"))) {
        return c;
      }
    }
    throw new IllegalStateException(
        "--cluster docker builds the node image from the project's Dockerfile, and none is in "
            + Path.of("").toAbsolutePath()
            + ", its parents or next to the jar: run from the Faultline checkout");
  }

  @Override
  public Cluster cluster() {
    return cluster;
  }

  @Override
  public Optional<Net> net() {
    return Optional.of(cluster.net());
  }

  @Override
  public Optional<ToxiproxyNet> links() {
    return Optional.of(cluster.net());
  }

  @Override
  public LeaderProbe leaderProbe() {
    return probe;
  }

  @Override
  public boolean ready(String nodeId) {
    return probe.ready(cluster.address(nodeId));
  }

  /** Clients bound to nodes as in {@link LocalDeployment#clients}, at the published ports. */
  @Override
  public ClientFactory clients(Duration timeout, int concurrency) {
    Protocol wire = Protocol.parse(protocol);
    List<String> ids = cluster.nodeIds();
    var endpoints = new LinkedHashMap<String, String>();
    for (String id : ids) {
      endpoints.put(
          id, wire == Protocol.HTTP ? cluster.httpEndpoint(id) : cluster.grpcEndpoint(id));
    }
    var byEndpoint = new LinkedHashMap<String, String>();
    endpoints.forEach((id, endpoint) -> byEndpoint.put(endpoint, id));
    return process -> {
      String home = ClientHomes.home(process, concurrency, ids);
      KvClientOptions options =
          KvClientOptions.of(List.of(endpoints.get(home)))
              .withCallTimeout(timeout)
              .withTotalTimeout(timeout.multipliedBy(3))
              .withSessions(true);
      KvClient client = wire == Protocol.HTTP ? KvClient.http(options) : KvClient.grpc(options);
      return new PortClient(new KvClientPort(client, byEndpoint));
    };
  }

  @Override
  public String network() {
    return "docker (private network, peer links via a Toxiproxy container)";
  }

  @Override
  public void close() {
    cluster.close();
  }
}
