package dev.faultline.testbed.run;

import dev.faultline.api.security.ClusterPki;
import dev.faultline.nemesis.cluster.Cluster;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.LocalCluster;
import dev.faultline.nemesis.net.LoopbackNetwork;
import dev.faultline.nemesis.net.Net;
import dev.faultline.nemesis.net.NetworkSandbox;
import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.nemesis.net.NodeNetwork;
import dev.faultline.nemesis.net.SandboxNet;
import dev.faultline.nemesis.toxiproxy.ProxyPlacement;
import dev.faultline.nemesis.toxiproxy.ProxyTopology;
import dev.faultline.nemesis.toxiproxy.ToxiproxyNet;
import dev.faultline.testbed.report.RunDirectory;
import dev.faultline.testbed.run.system.NodeContext;
import dev.faultline.testbed.run.system.SystemNodes;
import dev.faultline.workloads.client.ClientFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A cluster of the system under test's node processes on this machine: inside the network sandbox
 * (one namespace per node, partitions by iptables) when this process runs inside it, otherwise on
 * loopback addresses, where nothing can be partitioned, or on loopback with every peer link through
 * a proxy of a Toxiproxy server ({@code --net toxiproxy}), which partitions by disabling proxies
 * and adds latency, bandwidth caps and resets. With {@link Backend#tls} the nodes serve TLS and
 * want bearer tokens, from a CA generated for the run.
 */
public final class LocalDeployment implements Deployment {
  /** The first port of the proxies of {@code --net toxiproxy} (see {@link ProxyPlacement}). */
  static final int PROXY_BASE_PORT = 20000;

  private final LocalCluster cluster;
  private final Optional<Net> net;
  private final SystemNodes system;
  private final String description;
  private final Optional<ToxiproxyNet> links;

  private LocalDeployment(
      LocalCluster cluster,
      Optional<Net> net,
      Optional<ToxiproxyNet> links,
      String description,
      SystemNodes system) {
    this.cluster = cluster;
    this.net = net;
    this.system = system;
    this.description = description;
    this.links = links;
  }

  /**
   * The factory {@code faultline test} uses: the nodes of the run's system under test ({@code
   * --db}); {@code program} starts this program, for our own node's {@code node} command.
   */
  public static Deployment.Factory factory(List<String> program) {
    return (options, run) -> open(options, run, program);
  }

  static LocalDeployment open(TestOptions options, RunDirectory run, List<String> program)
      throws Exception {
    List<String> ids = options.nodeIds();
    boolean proxied = options.backend().proxiedLinks();
    NodeNetwork network;
    String description;
    if (NetworkSandbox.isInside() && !proxied) {
      network = SandboxNet.create(ids);
      description = "sandbox (" + SandboxNet.BRIDGE + ", 10.77.0.0/24)";
    } else if (proxied) {
      network = LoopbackNetwork.create(ids);
      description =
          "loopback (127.77.0.0/24), peer links via Toxiproxy at " + options.backend().toxiproxy();
    } else {
      network = LoopbackNetwork.create(ids);
      description = "loopback (127.77.0.0/24, no partitions)";
    }
    LocalCluster cluster;
    Optional<ClusterPki> pki = Optional.empty();
    Optional<ToxiproxyNet> links = Optional.empty();
    SystemNodes system = null;
    try {
      if (options.backend().tls()) {
        pki = Optional.of(generatePki(run, network));
        description += ", TLS";
      }
      Optional<Function<String, String>> peers = Optional.empty();
      if (proxied) {
        ProxyTopology topology = topology(network);
        links = Optional.of(ToxiproxyNet.connect(options.backend().toxiproxy(), topology));
        peers = Optional.of(topology::peersLine);
      }
      system =
          options
              .systemUnderTest()
              .open(new NodeContext(options, run.work(), network.addresses(), program, pki, peers));
      cluster = LocalCluster.create(network, system.launcher());
    } catch (Exception e) {
      if (system != null) {
        system.close();
      }
      links.ifPresent(ToxiproxyNet::close);
      network.close();
      throw e;
    }
    Optional<Net> net;
    if (links.isPresent()) {
      net = Optional.of(links.get());
    } else {
      try {
        net = Optional.of(cluster.net());
      } catch (UnsupportedOperationException none) {
        net = Optional.empty();
      }
    }
    return new LocalDeployment(cluster, net, links, description, system);
  }

  /**
   * One proxy per directed peer link, on this machine's loopback from port {@link
   * #PROXY_BASE_PORT}: node {@code ni} reaches {@code nj} at {@code 127.0.0.1:base + 100i + j}.
   */
  static ProxyTopology topology(NodeNetwork network) {
    return ProxyTopology.forNodes(
        network.addresses(),
        NodeCommandLine.PEER_PORT,
        NodeCommandLine.HTTP_PORT,
        NodeCommandLine.GRPC_PORT,
        ProxyPlacement.loopback(PROXY_BASE_PORT));
  }

  /**
   * A throwaway CA for this run only, in {@code <run>/work/tls}: node certificates valid for the
   * nodes' addresses, and tokens. Valid for a day, far longer than any run.
   */
  static ClusterPki generatePki(RunDirectory run, NodeNetwork network) throws IOException {
    List<String> hosts = network.addresses().stream().map(NodeAddress::host).toList();
    return ClusterPki.generate(
        run.work().resolve("tls").toAbsolutePath(), network.ids(), hosts, Duration.ofDays(1));
  }

  @Override
  public Cluster cluster() {
    return cluster;
  }

  @Override
  public Optional<Net> net() {
    return net;
  }

  @Override
  public Optional<ToxiproxyNet> links() {
    return links;
  }

  @Override
  public LeaderProbe leaderProbe() {
    return system.leaderProbe();
  }

  @Override
  public boolean ready(String nodeId) {
    return system.ready(cluster.address(nodeId));
  }

  @Override
  public ClientFactory clients(Duration timeout, int concurrency) {
    return system.clients(timeout, concurrency);
  }

  @Override
  public void keep(Path nodesDir) throws IOException {
    for (String id : cluster.nodeIds()) {
      Path target = nodesDir.resolve(id);
      Files.createDirectories(target);
      system.keep(id, target);
    }
  }

  @Override
  public Duration stopGrace(String nodeId) {
    return system.stopGrace(nodeId);
  }

  @Override
  public String network() {
    return description;
  }

  @Override
  public void close() {
    try {
      system.close();
      cluster.close();
    } finally {
      links.ifPresent(ToxiproxyNet::close);
    }
  }
}
