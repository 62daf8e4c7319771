package dev.faultline.testbed.run.system.faultline;

import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.security.ClusterPki;
import dev.faultline.api.security.TlsCredentials;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.NodeLauncher;
import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.testbed.run.BuildInfo;
import dev.faultline.testbed.run.ClientHomes;
import dev.faultline.testbed.run.HttpLeaderProbe;
import dev.faultline.testbed.run.NodeClassArchive;
import dev.faultline.testbed.run.NodeCommandLine;
import dev.faultline.testbed.run.system.NodeContext;
import dev.faultline.testbed.run.system.OptionSchema;
import dev.faultline.testbed.run.system.SystemBase;
import dev.faultline.testbed.run.system.SystemNodes;
import dev.faultline.testbed.run.system.SystemSpec;
import dev.faultline.workloads.client.ClientFactory;
import dev.faultline.workloads.client.HttpKvPort;
import dev.faultline.workloads.client.KvClientPort;
import dev.faultline.workloads.client.PortClient;
import dev.faultline.workloads.client.Protocol;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Our own node, {@code faultline node}, as a system under test: this very program started once per
 * node, every fault and workload, TLS, Toxiproxy links and deliberate bugs. The version is the
 * commit this program was built from.
 */
public final class FaultlineSystem extends SystemBase {
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  public FaultlineSystem(SystemSpec spec) {
    super("faultline", new OptionSchema("faultline").resolve(spec), EnumSet.allOf(FaultKind.class));
  }

  /** Our own node takes every option of a run: TLS, proxied links, Docker, bugs, both protocols. */
  @Override
  public Optional<String> refusal(RunShape shape) {
    return Optional.empty();
  }

  @Override
  public String install() {
    return version();
  }

  @Override
  public String version() {
    return BuildInfo.version() + " (commit " + BuildInfo.commit() + ")";
  }

  @Override
  public SystemNodes open(NodeContext context) {
    return new Nodes(context);
  }

  /**
   * Nodes started as {@link NodeCommandLine}s (from the {@link NodeClassArchive} when there is
   * one), probed over {@code GET /v1/cluster} and reached through {@link HttpKvPort} (plaintext
   * HTTP) or the api module's client (TLS, gRPC).
   */
  private static final class Nodes implements SystemNodes {
    private final NodeContext context;
    private final HttpLeaderProbe probe;
    private final Optional<NodeClassArchive> classes;

    Nodes(NodeContext context) {
      this.context = context;
      this.classes =
          context.nodes().isEmpty()
              ? Optional.empty()
              : NodeClassArchive.open(
                  context.program(), NodeClassArchive.defaultDir(), context.nodes().get(0).id());
      Optional<ClusterPki> pki = context.pki();
      this.probe =
          new HttpLeaderProbe(
              NodeCommandLine.HTTP_PORT,
              PROBE_TIMEOUT,
              pki.map(p -> TlsCredentials.trusting(p.caFile()).sslContext()),
              pki.map(ClusterPki::readToken));
    }

    @Override
    public NodeLauncher launcher() {
      NodeCommandLine launcher =
          new NodeCommandLine(
              context.program(), context.work(), context.options().bug(), context.pki());
      if (classes.isPresent()) {
        launcher = launcher.withClassArchive(classes.get());
      }
      return context.peersLine().isPresent()
          ? launcher.withPeers(context.peersLine().get())
          : launcher;
    }

    /** The node that writes the class archive gets the time to write it. */
    @Override
    public Duration stopGrace(String nodeId) {
      return classes.isPresent() && classes.get().trains(nodeId)
          ? NodeClassArchive.TRAINER_GRACE
          : STOP_GRACE;
    }

    /** After the nodes stopped: the trainer's archive, checked, for the next runs. */
    @Override
    public void close() {
      classes.ifPresent(NodeClassArchive::install);
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
     * Clients over the node API in the chosen protocol, each bound to one node as Jepsen's are: the
     * worker running process {@code p} ({@code p mod concurrency}, the same worker for the fresh
     * process after an {@code info}) talks to node {@code worker mod n} only, following a
     * follower's redirect to the leader but never remembering another node. A client that could
     * move to whichever node it last heard lead would leave a deposed leader at once and hide what
     * that leader still answers (stale reads from a leader cut off in a minority). Writes carry
     * sessions, so one whose outcome was unknown may be retried and is applied at most once.
     */
    @Override
    public ClientFactory clients(Duration timeout, int concurrency) {
      Protocol wire = Protocol.parse(context.options().protocol());
      int port = wire == Protocol.HTTP ? NodeCommandLine.HTTP_PORT : NodeCommandLine.GRPC_PORT;
      List<NodeAddress> nodes = context.nodes();
      var byEndpoint = new LinkedHashMap<String, String>();
      for (NodeAddress a : nodes) {
        byEndpoint.put(a.hostPort(port), a.id());
      }
      Optional<ClusterPki> pki = context.pki();
      Optional<TlsCredentials> tls = pki.map(p -> TlsCredentials.trusting(p.caFile()));
      return process -> {
        NodeAddress home = ClientHomes.home(process, concurrency, nodes);
        KvClientOptions options =
            KvClientOptions.of(List.of(home.hostPort(port)))
                .withCallTimeout(timeout)
                .withTotalTimeout(timeout.multipliedBy(3))
                .withSessions(true);
        if (tls.isPresent()) {
          options = options.withTls(tls.get()).withToken(pki.get().writeToken());
        }
        if (wire == Protocol.HTTP && tls.isEmpty()) {
          // The same rules as KvClient.http, without java.net.http's threads: half the CPU of a
          // run went to the clients before.
          return new PortClient(
              new HttpKvPort(
                  List.of(home.hostPort(port)),
                  byEndpoint,
                  timeout,
                  timeout.multipliedBy(3),
                  true));
        }
        KvClient client = wire == Protocol.HTTP ? KvClient.http(options) : KvClient.grpc(options);
        return new PortClient(new KvClientPort(client, byEndpoint));
      };
    }
  }
}
