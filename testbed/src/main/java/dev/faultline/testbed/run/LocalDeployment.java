package dev.faultline.testbed.run;

import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.security.ClusterPki;
import dev.faultline.api.security.TlsCredentials;
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
import dev.faultline.workloads.client.ClientFactory;
import dev.faultline.workloads.client.KvClientPort;
import dev.faultline.workloads.client.PortClient;
import dev.faultline.workloads.client.Protocol;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * A cluster of {@code faultline node} processes on this machine: inside the network sandbox (one
 * namespace per node, partitions by iptables) when this process runs inside it, otherwise on
 * loopback addresses, where nothing can be partitioned, or on loopback with every peer link through
 * a proxy of a Toxiproxy server ({@code --net toxiproxy}), which partitions by disabling proxies
 * and adds latency, bandwidth caps and resets. With {@link Backend#tls} the nodes serve TLS and
 * want bearer tokens, from a CA generated for the run.
 */
public final class LocalDeployment implements Deployment {
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  /** The first port of the proxies of {@code --net toxiproxy} (see {@link ProxyPlacement}). */
  static final int PROXY_BASE_PORT = 20000;

  private final LocalCluster cluster;
  private final Optional<Net> net;
  private final HttpLeaderProbe probe;
  private final String description;
  private final String protocol;

  private final Optional<ClusterPki> pki;
  private final Optional<ToxiproxyNet> links;

  private LocalDeployment(
      LocalCluster cluster,
      Optional<Net> net,
      Optional<ToxiproxyNet> links,
      String description,
      String protocol,
      Optional<ClusterPki> pki) {
    this.cluster = cluster;
    this.net = net;
    this.probe =
        new HttpLeaderProbe(
            NodeCommandLine.HTTP_PORT,
            PROBE_TIMEOUT,
            pki.map(p -> TlsCredentials.trusting(p.caFile()).sslContext()),
            pki.map(ClusterPki::readToken));
    this.description = description;
    this.protocol = protocol;
    this.pki = pki;
    this.links = links;
  }

  /** The factory {@code faultline test} uses: nodes run this program's {@code node} command. */
  public static Deployment.Factory factory(List<String> program) {
    return (options, run) -> open(options, run, program);
  }

  static LocalDeployment open(TestOptions options, RunDirectory run, List<String> program)
      throws IOException {
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
    try {
      if (options.backend().tls()) {
        pki = Optional.of(generatePki(run, network));
        description += ", TLS";
      }
      NodeCommandLine launcher = new NodeCommandLine(program, run.work(), options.bug(), pki);
      if (proxied) {
        ProxyTopology topology = topology(network);
        links = Optional.of(ToxiproxyNet.connect(options.backend().toxiproxy(), topology));
        launcher = launcher.withPeers(topology::peersLine);
      }
      cluster = LocalCluster.create(network, launcher);
    } catch (IOException | RuntimeException e) {
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
    return new LocalDeployment(cluster, net, links, description, options.protocol(), pki);
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
    return probe;
  }

  @Override
  public boolean ready(String nodeId) {
    return probe.ready(cluster.address(nodeId));
  }

  /**
   * Clients over the node API in the chosen protocol, each bound to one node as Jepsen's are: the
   * worker running process {@code p} ({@code p mod concurrency}, the same worker for the fresh
   * process after an {@code info}) talks to node {@code worker mod n} only, following a follower's
   * redirect to the leader but never remembering another node. A client that could move to
   * whichever node it last heard lead would leave a deposed leader at once and hide what that
   * leader still answers (stale reads from a leader cut off in a minority). Writes carry sessions,
   * so one whose outcome was unknown may be retried and is applied at most once.
   */
  @Override
  public ClientFactory clients(Duration timeout, int concurrency) {
    Protocol wire = Protocol.parse(protocol);
    int port = wire == Protocol.HTTP ? NodeCommandLine.HTTP_PORT : NodeCommandLine.GRPC_PORT;
    List<String> ids = cluster.nodeIds();
    var byEndpoint = new LinkedHashMap<String, String>();
    for (String id : ids) {
      byEndpoint.put(cluster.address(id).hostPort(port), id);
    }
    Optional<TlsCredentials> tls = pki.map(p -> TlsCredentials.trusting(p.caFile()));
    return process -> {
      long worker = Math.floorMod(process, (long) concurrency);
      String home = ids.get((int) (worker % ids.size()));
      KvClientOptions options =
          KvClientOptions.of(List.of(cluster.address(home).hostPort(port)))
              .withCallTimeout(timeout)
              .withTotalTimeout(timeout.multipliedBy(3))
              .withSessions(true);
      if (tls.isPresent()) {
        options = options.withTls(tls.get()).withToken(pki.get().writeToken());
      }
      KvClient client = wire == Protocol.HTTP ? KvClient.http(options) : KvClient.grpc(options);
      return new PortClient(new KvClientPort(client, byEndpoint));
    };
  }

  @Override
  public String network() {
    return description;
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } finally {
      links.ifPresent(ToxiproxyNet::close);
    }
  }
}
