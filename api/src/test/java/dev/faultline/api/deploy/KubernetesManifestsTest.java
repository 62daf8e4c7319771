package dev.faultline.api.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.config.Addresses;
import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests in {@code deploy/k8s} configure a node the way {@link ConfigSources} reads it:
 * every {@code FAULTLINE_*} variable and every ConfigMap key is a real option, the pod's
 * configuration loads, and the ports of addresses, containers, probes and Services agree.
 */
class KubernetesManifestsTest {

  static final Map<String, List<JsonNode>> BY_KIND = new HashMap<>();

  @TempDir Path dir;

  @BeforeAll
  static void load() throws Exception {
    try (Stream<Path> files = Files.list(DeployFiles.root().resolve("deploy/k8s"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (JsonNode doc : DeployFiles.yamlDocuments(file)) {
          BY_KIND.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(doc);
        }
      }
    }
  }

  static JsonNode one(String kind) {
    assertThat(BY_KIND.get(kind)).as("manifests of kind %s", kind).hasSize(1);
    return BY_KIND.get(kind).get(0);
  }

  static JsonNode statefulSet() {
    return one("StatefulSet");
  }

  static JsonNode container() {
    JsonNode containers = statefulSet().at("/spec/template/spec/containers");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  static JsonNode service(String name) {
    return BY_KIND.get("Service").stream()
        .filter(s -> s.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Service " + name));
  }

  /** The container's environment with field references resolved for pod {@code pod}. */
  static Map<String, String> env(String pod, Path configFile) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode var : container().path("env")) {
      String name = var.path("name").asText();
      if (var.has("value")) {
        env.put(name, var.path("value").asText());
      } else {
        String field = var.at("/valueFrom/fieldRef/fieldPath").asText();
        assertThat(field).as("the source of %s", name).isEqualTo("metadata.name");
        env.put(name, pod);
      }
    }
    if (configFile != null) {
      env.put("FAULTLINE_CONFIG", configFile.toString());
    }
    return env;
  }

  Path configMapFile() throws Exception {
    JsonNode data = one("ConfigMap").path("data");
    Path file = dir.resolve("faultline.yml");
    Files.writeString(file, data.path("faultline.yml").asText());
    return file;
  }

  Map<String, Integer> containerPorts() {
    Map<String, Integer> ports = new HashMap<>();
    container()
        .path("ports")
        .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    return ports;
  }

  @Test
  void everyFaultlineVariableNamesARealOption() {
    List<String> options = ConfigSources.optionNames();
    for (String name : env("faultline-0", null).keySet()) {
      if (!name.startsWith("FAULTLINE_") || name.equals("FAULTLINE_CONFIG")) {
        continue;
      }
      String option =
          name.substring("FAULTLINE_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
      assertThat(options).as("option of environment variable %s", name).contains(option);
    }
  }

  @Test
  void everyConfigMapKeyIsARealOption() throws Exception {
    JsonNode data = one("ConfigMap").path("data");
    assertThat(data.fieldNames()).toIterable().containsExactly("faultline.yml");
    JsonNode options = DeployFiles.yamlDocuments(configMapFile()).get(0);
    options.fieldNames().forEachRemaining(k -> assertThat(ConfigSources.optionNames()).contains(k));
    String mountPath =
        findMount(statefulSet().at("/spec/template/spec/volumes").get(0).path("name").asText())
            .path("mountPath")
            .asText();
    assertThat(env("faultline-0", null).get("FAULTLINE_CONFIG"))
        .isEqualTo(mountPath + "/faultline.yml");
  }

  @Test
  void everyPodOfTheStatefulSetLoadsAConfigurationListingEveryReplica() throws Exception {
    int replicas = statefulSet().at("/spec/replicas").asInt();
    String name = statefulSet().at("/metadata/name").asText();
    String headless = statefulSet().at("/spec/serviceName").asText();
    Map<String, Integer> ports = containerPorts();
    Path configFile = configMapFile();
    for (int i = 0; i < replicas; i++) {
      String pod = name + "-" + i;
      NodeConfig config = ConfigSources.load(List.of(), env(pod, configFile));
      assertThat(config.id()).isEqualTo(pod);
      assertThat(Addresses.port(config.httpAddress())).isEqualTo(ports.get("http"));
      assertThat(Addresses.port(config.grpcAddress())).isEqualTo(ports.get("grpc"));
      assertThat(Addresses.port(config.peerAddress())).isEqualTo(ports.get("peer"));
      assertThat(config.peers()).hasSize(replicas);
      for (int j = 0; j < replicas; j++) {
        NodeAddress peer = config.peer(name + "-" + j).orElseThrow();
        String host = name + "-" + j + "." + headless;
        assertThat(peer.peer()).isEqualTo(host + ":" + ports.get("peer"));
        assertThat(peer.http()).isEqualTo(host + ":" + ports.get("http"));
        assertThat(peer.grpc()).isEqualTo(host + ":" + ports.get("grpc"));
      }
      assertThat(config.dataDir().toString())
          .isEqualTo(
              findMount(
                      statefulSet()
                          .at("/spec/volumeClaimTemplates")
                          .get(0)
                          .at("/metadata/name")
                          .asText())
                  .path("mountPath")
                  .asText());
    }
  }

  @Test
  void probesUseReadyzAndHealthzOnTheHttpPort() {
    assertThat(container().at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container().at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container().at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThat(container().at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThat(containerPorts()).containsKey("http");
  }

  @Test
  void servicesSelectThePodsAndTargetNamedContainerPorts() {
    JsonNode labels = statefulSet().at("/spec/template/metadata/labels");
    assertThat(statefulSet().at("/spec/selector/matchLabels")).isEqualTo(labels);
    JsonNode headless = service(statefulSet().at("/spec/serviceName").asText());
    assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
    assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean())
        .as("peers must resolve before any node is ready")
        .isTrue();
    Map<String, Integer> ports = containerPorts();
    for (JsonNode service : BY_KIND.get("Service")) {
      String name = service.at("/metadata/name").asText();
      assertThat(service.at("/spec/selector")).as("selector of %s", name).isEqualTo(labels);
      for (JsonNode port : service.at("/spec/ports")) {
        String target = port.path("targetPort").asText();
        assertThat(ports).as("target port %s of Service %s", target, name).containsKey(target);
        assertThat(port.path("port").asInt()).isEqualTo(ports.get(target));
      }
    }
    assertThat(headless.at("/spec/ports").findValuesAsText("targetPort")).contains("peer");
    assertThat(service("faultline").at("/spec/ports").findValuesAsText("targetPort"))
        .contains("http", "grpc");
  }

  @Test
  void aMajoritySurvivesDisruptionAndPodsStartTogether() {
    int replicas = statefulSet().at("/spec/replicas").asInt();
    JsonNode pdb = one("PodDisruptionBudget");
    assertThat(pdb.at("/spec/selector/matchLabels"))
        .isEqualTo(statefulSet().at("/spec/template/metadata/labels"));
    int maxUnavailable = pdb.at("/spec/maxUnavailable").asInt();
    assertThat(replicas - maxUnavailable).isGreaterThan(replicas / 2);
    assertThat(statefulSet().at("/spec/podManagementPolicy").asText()).isEqualTo("Parallel");
    assertThat(statefulSet().at("/spec/volumeClaimTemplates")).hasSize(1);
  }

  @Test
  void kustomizationListsEveryManifest() throws Exception {
    Path k8s = DeployFiles.root().resolve("deploy/k8s");
    JsonNode kustomization = DeployFiles.yamlDocuments(k8s.resolve("kustomization.yaml")).get(0);
    List<String> resources = new ArrayList<>();
    kustomization.path("resources").forEach(r -> resources.add(r.asText()));
    try (Stream<Path> files = Files.list(k8s)) {
      assertThat(resources)
          .containsExactlyInAnyOrderElementsOf(
              files
                  .map(f -> f.getFileName().toString())
                  .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                  .toList());
    }
  }

  static JsonNode findMount(String volume) {
    for (JsonNode mount : container().path("volumeMounts")) {
      if (mount.path("name").asText().equals(volume)) {
        return mount;
      }
    }
    throw new AssertionError("no volume mount named " + volume);
  }
}
