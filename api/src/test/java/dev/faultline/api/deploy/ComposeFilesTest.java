package dev.faultline.api.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.config.Addresses;
import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} agrees with the node's configuration, the Toxiproxy and Prometheus
 * files and {@code docs/DEPLOY.md}: every node loads its configuration from its environment,
 * reaches each peer through the proxy of that directed link, is scraped on its HTTP port, and every
 * host port the docs mention is published.
 */
class ComposeFilesTest {

  static Map<String, Object> services;
  static final Map<String, NodeConfig> NODES = new TreeMap<>();

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws Exception {
    services =
        (Map<String, Object>)
            DeployFiles.yamlResolved(DeployFiles.file("docker-compose.yml")).get("services");
    for (var e : services.entrySet()) {
      Map<String, String> env = environment(e.getKey());
      if (env.containsKey("FAULTLINE_ID")) {
        NODES.put(e.getKey(), ConfigSources.load(List.of(), env));
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> service(String name) {
    return (Map<String, Object>) services.get(name);
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> environment(String name) {
    Map<String, String> env = new HashMap<>();
    Object raw = service(name).get("environment");
    if (raw instanceof Map<?, ?> map) {
      map.forEach((k, v) -> env.put(k.toString(), String.valueOf(v)));
    }
    return env;
  }

  /** Container port → host port. */
  @SuppressWarnings("unchecked")
  static Map<Integer, Integer> published(String name) {
    Map<Integer, Integer> ports = new HashMap<>();
    for (Object p : (List<Object>) service(name).getOrDefault("ports", List.of())) {
      String[] parts = p.toString().split(":");
      ports.put(
          Integer.parseInt(parts[parts.length - 1]), Integer.parseInt(parts[parts.length - 2]));
    }
    return ports;
  }

  @Test
  void threeNodesEachWithItsOwnIdAndVolume() {
    assertThat(NODES.keySet()).containsExactly("n1", "n2", "n3");
    NODES.forEach(
        (service, config) -> {
          assertThat(config.id()).isEqualTo(service);
          assertThat(service(service).get("volumes").toString())
              .contains(service + "-data:" + config.dataDir());
        });
  }

  @Test
  void everyFaultlineVariableNamesARealOption() {
    for (String service : NODES.keySet()) {
      for (String name : environment(service).keySet()) {
        String option =
            name.substring("FAULTLINE_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
        assertThat(ConfigSources.optionNames())
            .as("option of %s in %s", name, service)
            .contains(option);
      }
    }
  }

  @Test
  void everyNodePublishesItsPortsOnDistinctHostPorts() {
    Set<Integer> hostPorts = new HashSet<>();
    for (var e : NODES.entrySet()) {
      Map<Integer, Integer> ports = published(e.getKey());
      NodeConfig c = e.getValue();
      for (String address : List.of(c.httpAddress(), c.grpcAddress(), c.peerAddress())) {
        assertThat(ports)
            .as("published ports of %s", e.getKey())
            .containsKey(Addresses.port(address));
        assertThat(hostPorts.add(ports.get(Addresses.port(address)))).isTrue();
      }
    }
    for (String other : services.keySet()) {
      if (!NODES.containsKey(other)) {
        published(other)
            .values()
            .forEach(p -> assertThat(hostPorts.add(p)).as("host port %s", p).isTrue());
      }
    }
  }

  @Test
  void everyPeerIsReachedThroughTheToxiproxyProxyOfItsDirectedLink() throws Exception {
    Map<String, JsonNode> proxiesByListenPort = new HashMap<>();
    List<String> names = new ArrayList<>();
    for (JsonNode proxy :
        DeployFiles.JSON.readTree(DeployFiles.file("deploy/toxiproxy/toxiproxy.json").toFile())) {
      proxiesByListenPort.put(String.valueOf(Addresses.port(proxy.path("listen").asText())), proxy);
      names.add(proxy.path("name").asText());
    }
    assertThat(names).doesNotHaveDuplicates().hasSize(NODES.size() * (NODES.size() - 1));
    for (var e : NODES.entrySet()) {
      String self = e.getKey();
      for (NodeAddress peer : e.getValue().peers()) {
        if (peer.id().equals(self)) {
          continue;
        }
        assertThat(Addresses.host(peer.peer()))
            .as("%s's route to %s", self, peer.id())
            .isEqualTo("toxiproxy");
        JsonNode proxy = proxiesByListenPort.get(String.valueOf(Addresses.port(peer.peer())));
        assertThat(proxy)
            .as("proxy listening for %s→%s at %s", self, peer.id(), peer.peer())
            .isNotNull();
        assertThat(proxy.path("name").asText()).isEqualTo(self + "-to-" + peer.id());
        NodeConfig target = NODES.get(peer.id());
        assertThat(proxy.path("upstream").asText())
            .isEqualTo(peer.id() + ":" + Addresses.port(target.peerAddress()));
      }
    }
  }

  @Test
  void clientAddressesInPeersAreTheHostsPublishedPorts() {
    for (NodeConfig config : NODES.values()) {
      for (NodeAddress peer : config.peers()) {
        NodeConfig target = NODES.get(peer.id());
        Map<Integer, Integer> ports = published(peer.id());
        assertThat(peer.http())
            .isEqualTo("127.0.0.1:" + ports.get(Addresses.port(target.httpAddress())));
        assertThat(peer.grpc())
            .isEqualTo("127.0.0.1:" + ports.get(Addresses.port(target.grpcAddress())));
      }
    }
  }

  @Test
  void prometheusScrapesEveryNodeOnItsHttpPort() throws Exception {
    JsonNode prometheus =
        DeployFiles.yamlDocuments(DeployFiles.file("deploy/prometheus/prometheus.yml")).get(0);
    List<String> all = new ArrayList<>();
    prometheus.findValues("targets").forEach(t -> t.forEach(x -> all.add(x.asText())));
    List<String> expected = new ArrayList<>();
    NODES.forEach((service, c) -> expected.add(service + ":" + Addresses.port(c.httpAddress())));
    assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(prometheus.findValuesAsText("metrics_path")).containsOnly("/metrics");
  }

  @Test
  void grafanaAndPrometheusMountTheProvisionedFiles() {
    String grafana = service("grafana").get("volumes").toString();
    assertThat(grafana).contains("./deploy/grafana/provisioning:", "./deploy/grafana/dashboards:");
    assertThat(service("prometheus").get("volumes").toString())
        .contains("./deploy/prometheus/prometheus.yml:");
    assertThat(service("toxiproxy").get("volumes").toString())
        .contains("./deploy/toxiproxy/toxiproxy.json:");
  }

  @Test
  void everyLocalPortInTheComposeGuideIsPublished() throws Exception {
    String whole = Files.readString(DeployFiles.file("docs/DEPLOY.md"));
    int from = whole.indexOf("\n## Docker Compose");
    assertThat(from).as("a Docker Compose section in docs/DEPLOY.md").isPositive();
    int to = whole.indexOf("\n## ", from + 1);
    String guide = whole.substring(from, to < 0 ? whole.length() : to);
    Set<Integer> hostPorts = new HashSet<>();
    services.keySet().forEach(s -> hostPorts.addAll(published(s).values()));
    Matcher m = Pattern.compile("(?:localhost|127\\.0\\.0\\.1):(\\d+)").matcher(guide);
    int mentioned = 0;
    while (m.find()) {
      mentioned++;
      assertThat(hostPorts)
          .as("port %s mentioned in docs/DEPLOY.md", m.group(1))
          .contains(Integer.parseInt(m.group(1)));
    }
    assertThat(mentioned).isGreaterThan(5);
    Matcher proxies = Pattern.compile("\\bn\\d-to-n\\d\\b").matcher(guide);
    Set<String> names = new HashSet<>();
    for (JsonNode proxy :
        DeployFiles.JSON.readTree(DeployFiles.file("deploy/toxiproxy/toxiproxy.json").toFile())) {
      names.add(proxy.path("name").asText());
    }
    while (proxies.find()) {
      assertThat(names).as("proxy named in docs/DEPLOY.md").contains(proxies.group());
    }
  }

  @Test
  void theImageServesTheDefaultPortsTheComposeFileUses() throws Exception {
    String dockerfile = Files.readString(DeployFiles.file("Dockerfile"));
    assertThat(dockerfile)
        .contains("FAULTLINE_DATA_DIR=/data", "VOLUME [\"/data\"]", "USER faultline");
    assertThat(dockerfile).contains("HEALTHCHECK").contains("/readyz");
    Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(dockerfile);
    assertThat(expose.find()).isTrue();
    for (NodeConfig c : NODES.values()) {
      for (String address : List.of(c.httpAddress(), c.grpcAddress(), c.peerAddress())) {
        assertThat(expose.group(1).split(" ")).contains(String.valueOf(Addresses.port(address)));
        assertThat(dockerfile).contains(address);
      }
    }
    Matcher health = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/readyz").matcher(dockerfile);
    assertThat(health.find()).isTrue();
    assertThat(Integer.parseInt(health.group(1)))
        .isEqualTo(Addresses.port(NODES.get("n1").httpAddress()));
  }
}
