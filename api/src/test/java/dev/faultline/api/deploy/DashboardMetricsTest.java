package dev.faultline.api.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.node.FaultlineNode;
import dev.faultline.raft.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the provisioned Grafana dashboard queries is exposed by a real node: a single-member
 * node on loopback serves HTTP and gRPC traffic, and its {@code /metrics} must hold each name.
 */
class DashboardMetricsTest {

  private static final Path DASHBOARD = Path.of("deploy/grafana/dashboards/faultline.json");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([A-Za-z_:]\\w*)");

  @TempDir Path dir;

  /** Metric name → the panels that query it. */
  static Map<String, List<String>> dashboardMetrics(JsonNode dashboard) {
    Map<String, List<String>> names = new TreeMap<>();
    List<JsonNode> panels = new ArrayList<>();
    collectPanels(dashboard.path("panels"), panels);
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        for (String name : PromQl.metricNames(target.path("expr").asText())) {
          names.computeIfAbsent(name, n -> new ArrayList<>()).add(panel.path("title").asText());
        }
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
      if (m.find()) {
        names
            .computeIfAbsent(m.group(1), n -> new ArrayList<>())
            .add("variable $" + variable.path("name").asText());
      }
    }
    return names;
  }

  private static void collectPanels(JsonNode list, List<JsonNode> out) {
    for (JsonNode panel : list) {
      if (!panel.path("type").asText().equals("row")) {
        out.add(panel);
      }
      collectPanels(panel.path("panels"), out);
    }
  }

  @Test
  void everyPanelQueriesPrometheusThroughTheProvisionedDataSource() throws Exception {
    JsonNode dashboard = DeployFiles.JSON.readTree(DeployFiles.file(DASHBOARD.toString()).toFile());
    String uid =
        DeployFiles.yamlDocuments(
                DeployFiles.file("deploy/grafana/provisioning/datasources/prometheus.yml"))
            .get(0)
            .path("datasources")
            .get(0)
            .path("uid")
            .asText();
    List<JsonNode> panels = new ArrayList<>();
    collectPanels(dashboard.path("panels"), panels);
    assertThat(panels).hasSizeGreaterThanOrEqualTo(20);
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : panels) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as("unique id of panel %s", title).isTrue();
      assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo(uid);
      assertThat(panel.path("targets")).as("targets of panel %s", title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(PromQl.metricNames(target.path("expr").asText()))
            .as("metrics of panel %s", title)
            .isNotEmpty();
      }
    }
  }

  @Test
  void everyMetricTheDashboardQueriesIsExposedByARunningNode() throws Exception {
    JsonNode dashboard = DeployFiles.JSON.readTree(DeployFiles.file(DASHBOARD.toString()).toFile());
    Map<String, List<String>> wanted = dashboardMetrics(dashboard);
    assertThat(wanted)
        .containsKeys(
            "requests_total",
            "grpc_requests_total",
            "kv_operations_latency_seconds_bucket",
            "raft_term",
            "raft_role",
            "raft_fsync_seconds_bucket",
            "jvm_memory_used_bytes");

    var config =
        ConfigSources.fromOptions(
            Map.of(
                "id", "n1",
                "data-dir", dir.resolve("n1").toString(),
                "http-address", "127.0.0.1:0",
                "grpc-address", "127.0.0.1:0",
                "peer-address", "127.0.0.1:0",
                "tick-ms", 10,
                "snapshot-interval", 5));
    try (FaultlineNode node = FaultlineNode.start(config)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> node.status().role() == Role.LEADER);
      String http = "127.0.0.1:" + node.httpPort();
      String grpc = "127.0.0.1:" + node.grpcPort();
      for (KvClient kv :
          List.of(
              KvClient.http(KvClientOptions.of(List.of(http))),
              KvClient.grpc(KvClientOptions.of(List.of(grpc))))) {
        try (kv) {
          for (int i = 0; i < 5; i++) {
            kv.put("k" + i, "v" + i);
            kv.get("k" + i);
            kv.cas("k" + i, "v" + i, "w" + i);
            kv.delete("k" + i);
          }
        }
      }
      HttpClient client = HttpClient.newHttpClient();
      client.send(
          HttpRequest.newBuilder(URI.create("http://" + http + "/no-such-route")).build(),
          HttpResponse.BodyHandlers.discarding());
      System.gc(); // the GC pause timer appears with the first collection

      Map<String, String> exposed = new LinkedHashMap<>();
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                String text =
                    client
                        .send(
                            HttpRequest.newBuilder(URI.create("http://" + http + "/metrics"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body();
                exposed.clear();
                exposed.putAll(Scrape.types(text));
                Set<String> samples = Scrape.sampleNames(text);
                Map<String, List<String>> missing = new TreeMap<>();
                wanted.forEach(
                    (name, panelsUsing) -> {
                      if (!samples.contains(name)) {
                        missing.put(name, panelsUsing);
                      }
                    });
                assertThat(missing)
                    .as(
                        "metrics the dashboard queries but the node does not expose (name → panels)")
                    .isEmpty();
              });
      for (String name : wanted.keySet()) {
        if (!PromQl.family(name).equals(name)) {
          assertThat(exposed.get(PromQl.family(name)))
              .as("type of the family of %s", name)
              .isIn("histogram", "summary");
        }
      }
    }
  }
}
