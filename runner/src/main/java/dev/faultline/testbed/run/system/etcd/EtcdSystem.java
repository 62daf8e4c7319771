package dev.faultline.testbed.run.system.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.NodeLauncher;
import dev.faultline.nemesis.cluster.NodeSpec;
import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.testbed.run.ClientHomes;
import dev.faultline.testbed.run.system.DebianPackage;
import dev.faultline.testbed.run.system.JsonHttp;
import dev.faultline.testbed.run.system.NodeContext;
import dev.faultline.testbed.run.system.OptionSchema;
import dev.faultline.testbed.run.system.SystemBase;
import dev.faultline.testbed.run.system.SystemNodes;
import dev.faultline.testbed.run.system.SystemSpec;
import dev.faultline.workloads.client.ClientFactory;
import dev.faultline.workloads.client.PortClient;
import io.etcd.jetcd.Client;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * etcd (Debian {@code etcd-server}, 3.4) as a system under test: one member per node, clients
 * through jetcd. {@code reads=linearizable} (etcd's default) or {@code serializable} (a member
 * answers from its own store, which etcd documents as possibly stale). The clock fault is refused:
 * etcd is a Go program, whose clock libfaketime does not reach.
 */
public final class EtcdSystem extends SystemBase {
  static final int CLIENT_PORT = 2379;
  static final int PEER_PORT = 2380;
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
  private static final DebianPackage ETCD = new DebianPackage("etcd", "etcd-server");

  public EtcdSystem(SystemSpec spec) {
    super(
        "etcd",
        new OptionSchema("etcd")
            .choice("reads", List.of("linearizable", "serializable"))
            .resolve(spec),
        PROCESS_FAULTS);
  }

  @Override
  public String whyNot(FaultKind kind) {
    return kind == FaultKind.CLOCK
        ? "the clock fault works through libfaketime, and etcd is a Go program whose runtime reads"
            + " the clock without the C library"
        : "";
  }

  @Override
  public String install() {
    ETCD.require();
    return version();
  }

  @Override
  public String version() {
    return ETCD.find()
        .map(p -> DebianPackage.firstLine(List.of(p.toString(), "--version")))
        .map(l -> l.replaceFirst("^etcd Version:\\s*", ""))
        .orElse("unknown");
  }

  @Override
  public SystemNodes open(NodeContext context) {
    return new Nodes(context, ETCD.require(), option("reads").equals("serializable"));
  }

  static String clientUrl(NodeAddress a) {
    return "http://" + a.hostPort(CLIENT_PORT);
  }

  private static final class Nodes implements SystemNodes {
    private final NodeContext context;
    private final Path etcd;
    private final boolean serializable;
    private final JsonHttp http = new JsonHttp(PROBE_TIMEOUT);
    private final Map<String, String> nameById = new ConcurrentHashMap<>();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    Nodes(NodeContext context, Path etcd, boolean serializable) {
      this.context = context;
      this.etcd = etcd;
      this.serializable = serializable;
    }

    @Override
    public NodeLauncher launcher() {
      String cluster =
          context.nodes().stream()
              .map(a -> a.id() + "=http://" + a.hostPort(PEER_PORT))
              .collect(Collectors.joining(","));
      return (self, all) -> {
        Path dir = context.nodeDir(self.id());
        Path data = dir.resolve("data");
        List<String> argv =
            List.of(
                etcd.toString(),
                "--name",
                self.id(),
                "--data-dir",
                data.toString(),
                "--listen-client-urls",
                clientUrl(self),
                "--advertise-client-urls",
                clientUrl(self),
                "--listen-peer-urls",
                "http://" + self.hostPort(PEER_PORT),
                "--initial-advertise-peer-urls",
                "http://" + self.hostPort(PEER_PORT),
                "--initial-cluster",
                cluster,
                "--initial-cluster-state",
                "new",
                "--initial-cluster-token",
                "faultline",
                "--logger",
                "zap",
                "--log-outputs",
                "stderr");
        return new NodeSpec(self.id(), argv, Map.of(), dir, data, dir.resolve("stdout.log"));
      };
    }

    /** The leader a member names in {@code /v3/maintenance/status}, by member name. */
    @Override
    public LeaderProbe leaderProbe() {
      return node -> {
        Optional<JsonNode> status = http.post(clientUrl(node) + "/v3/maintenance/status", "{}");
        if (status.isEmpty()) {
          return Optional.empty();
        }
        String leader = status.get().path("leader").asText("");
        if (leader.isEmpty() || leader.equals("0")) {
          return Optional.empty();
        }
        if (!nameById.containsKey(leader)) {
          http.post(clientUrl(node) + "/v3/cluster/member/list", "{}")
              .ifPresent(
                  list ->
                      list.path("members")
                          .forEach(
                              m -> nameById.put(m.path("ID").asText(), m.path("name").asText())));
        }
        return Optional.ofNullable(nameById.get(leader));
      };
    }

    /** {@code GET /health} says {@code true}: the member has a leader and answers. */
    @Override
    public boolean ready(NodeAddress node) {
      return http.get(clientUrl(node) + "/health")
          .map(h -> h.path("health").asText("").equals("true"))
          .orElse(false);
    }

    /**
     * One jetcd client per member, shared by the processes bound to that member (process {@code p}
     * on worker {@code p mod concurrency} talks to member {@code worker mod n} only), so a member
     * cut off in a minority keeps being asked, as Jepsen's clients do.
     */
    @Override
    public ClientFactory clients(Duration timeout, int concurrency) {
      List<NodeAddress> nodes = context.nodes();
      return process -> {
        NodeAddress home = ClientHomes.home(process, concurrency, nodes);
        Client client = clients.computeIfAbsent(home.id(), id -> EtcdPort.client(clientUrl(home)));
        return new PortClient(new EtcdPort(client, home.id(), timeout, serializable));
      };
    }

    @Override
    public void close() {
      var open = new LinkedHashMap<>(clients);
      clients.clear();
      open.values().forEach(Client::close);
    }
  }
}
