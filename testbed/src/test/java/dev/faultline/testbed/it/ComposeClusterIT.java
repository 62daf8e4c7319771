package dev.faultline.testbed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.nemesis.docker.DockerCluster;
import dev.faultline.nemesis.docker.HostPorts;
import dev.faultline.testbed.DockerEngine;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The project's docker-compose.yml, up for real: three nodes, Toxiproxy on every peer link and
 * Prometheus (Grafana stays out when its image cannot be had, with a message). Every node turns
 * healthy and agrees on one leader, a write through one node is read back through another,
 * Prometheus has every node's target up and every query of the Grafana dashboard returns data on
 * it, and cutting the leader's links in Toxiproxy (toxiproxy-java) costs it its leadership until
 * the links are back. The file is run as it is, with only its host ports moved (to free ports of
 * its share of {@code FAULTLINE_DOCKER_PORTS} when set, see {@link DockerPortShares}) and bound to
 * loopback, and a short snapshot interval so that the snapshot panels have something to show. Skips
 * when docker-compose or a Docker engine is missing, or the images of the stack are neither present
 * nor pullable.
 */
@Order(2)
// The Docker engine to itself (see DockerTestCommandIT).
@ResourceLock(DockerPortShares.ENGINE)
class ComposeClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROJECT = "faultline-it-" + ProcessHandle.current().pid();
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private static final Pattern PORT = Pattern.compile("\"(\\d+):(\\d+)\"");

  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Path root;
  private Path composeFile;
  private final Map<Integer, Integer> hostPorts = new LinkedHashMap<>();
  private boolean started;

  @AfterEach
  void down() throws Exception {
    if (started) {
      // The containers' output outlives the test, for a failure to be read.
      Compose.Result logs = compose(120, "logs", "--no-color");
      Path kept = Path.of(System.getProperty("basedir", "."), "target", "compose-cluster-it.log");
      Files.createDirectories(kept.getParent());
      Files.writeString(kept, logs.output());
      compose(300, "down", "-v", "--remove-orphans");
    }
  }

  @Test
  void composeClusterServesIsScrapedFeedsTheDashboardAndLosesItsLeaderToACut() throws Exception {
    // The socket is asked first: Testcontainers takes many seconds to conclude there is no engine.
    Optional<String> engine =
        DockerEngine.absence(System.getenv(), Path.of(System.getProperty("user.home")));
    assumeTrue(engine.isEmpty(), () -> engine.orElse(""));
    Optional<String> docker = DockerCluster.unavailableReason();
    assumeTrue(docker.isEmpty(), () -> "no Docker engine: " + docker.orElse(""));
    assumeTrue(onPath("docker-compose").isPresent(), "docker-compose is not on the PATH");
    root = Path.of(System.getProperty("faultline.root", "..")).toAbsolutePath().normalize();
    assumeTrue(
        Files.isRegularFile(root.resolve(NodeImageJar.PATH)),
        "no " + NodeImageJar.PATH + " to put in the node image: run mvn package first");
    for (String image :
        List.of(
            env("FAULTLINE_TOXIPROXY_IMAGE", "ghcr.io/shopify/toxiproxy:2.9.0"),
            env("FAULTLINE_PROMETHEUS_IMAGE", "prom/prometheus:v2.54.1"))) {
      assumeTrue(
          imagePresentOrPullable(image),
          () -> image + " is neither present nor pullable: run ci/containers.sh up");
    }
    boolean grafana = imagePresentOrPullable("grafana/grafana:11.2.0");
    if (!grafana) {
      System.err.println(
          "ComposeClusterIT: grafana skipped: its image grafana/grafana:11.2.0 cannot be had here;"
              + " the dashboard's queries are checked on Prometheus instead");
    }
    composeFile = writeComposeFile();
    Phases phases = new Phases();

    List<String> up = new ArrayList<>(List.of("up", "-d", "--build", "n1", "n2", "n3"));
    up.addAll(List.of("toxiproxy", "prometheus"));
    if (grafana) {
      up.add("grafana");
    }
    started = true;
    Compose.Result result = compose(900, up.toArray(String[]::new));
    assertThat(result.code()).as(result.output()).isZero();
    phases.end("up");

    // Every node ready (GET /readyz, what the image's health check asks), all naming one leader.
    // A loaded 2-core machine took over two minutes to start three JVMs in containers. Docker's own
    // verdict, which probes every 5 s, is awaited at the end: asking the nodes directly lets the
    // test go on as soon as they are up, and probing more often through Docker costs an exec in
    // every container each time.
    await("every node ready")
        .atMost(Duration.ofSeconds(300))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> NODES.stream().allMatch(this::ready));
    String leader = awaitOneLeader(NODES, Duration.ofSeconds(120));
    phases.end("healthy");

    // A write through n1, read back through n2 (both follow the redirect to the leader).
    try (KvClient n1 = httpClient("n1");
        KvClient n2 = httpClient("n2")) {
      n1.put("compose-greeting", "hello from n1");
      assertThat(n2.get("compose-greeting")).contains("hello from n1");
    }

    // Prometheus scrapes every node.
    String prometheus = "http://127.0.0.1:" + hostPorts.get(9190);
    await("every node's target up in Prometheus")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> upTargets(prometheus).size() == NODES.size());
    phases.end("scraped");

    // Traffic for every panel, then every dashboard query must return data.
    drive();
    List<String> queries = dashboardQueries();
    assertThat(queries).hasSizeGreaterThan(20);
    Map<String, Integer> empty = new LinkedHashMap<>();
    // When each query first returned data, in seconds into this phase: the last ones say what the
    // phase waited for.
    Map<String, Double> firstData = new LinkedHashMap<>();
    long dashboardStart = System.nanoTime();
    await("every dashboard query returns data")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              empty.clear();
              for (String q : queries) {
                int series = seriesOf(prometheus, q);
                if (series == 0) {
                  empty.put(q, series);
                } else {
                  firstData.putIfAbsent(q, (System.nanoTime() - dashboardStart) / 1e9);
                }
              }
              if (!empty.isEmpty()) {
                drive();
              }
              return empty.isEmpty();
            });
    phases.end("dashboard");
    String lastQueries =
        firstData.entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .limit(3)
            .map(e -> String.format(java.util.Locale.ROOT, "%.1f s %s", e.getValue(), e.getKey()))
            .collect(java.util.stream.Collectors.joining("; "));

    // Cut the leader from both others in Toxiproxy: it loses its leadership, and the links heal.
    ToxiproxyClient toxiproxy = new ToxiproxyClient("127.0.0.1", hostPorts.get(8474));
    List<String> others = NODES.stream().filter(n -> !n.equals(leader)).toList();
    for (String other : others) {
      toxiproxy.getProxy(leader + "-to-" + other).disable();
      toxiproxy.getProxy(other + "-to-" + leader).disable();
    }
    await("the others elect a new leader and " + leader + " stops leading")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Optional<String> a = leaderSeenBy(others.get(0));
              return a.isPresent()
                  && !a.get().equals(leader)
                  && a.equals(leaderSeenBy(others.get(1)))
                  && !leaderSeenBy(leader).equals(Optional.of(leader));
            });
    for (String other : others) {
      toxiproxy.getProxy(leader + "-to-" + other).enable();
      toxiproxy.getProxy(other + "-to-" + leader).enable();
    }
    phases.end("cut");
    String healed = awaitOneLeader(NODES, Duration.ofSeconds(60));
    await("every node ready again after the cut")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> NODES.stream().allMatch(this::ready));
    await("every node container healthy by Docker's health check")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> NODES.stream().allMatch(this::healthy));
    try (KvClient reader = httpClient(leader)) {
      assertThat(reader.get("compose-greeting")).contains("hello from n1");
    }
    System.err.println(
        "ComposeClusterIT: leader "
            + leader
            + ", after the cut and heal "
            + healed
            + "; "
            + queries.size()
            + " dashboard queries returned data; phases: "
            + phases.end("healed")
            + "; the last queries to return data: "
            + lastQueries);
  }

  /** Seconds spent in each step of the run, for the build's log. */
  private static final class Phases {
    private final StringBuilder line = new StringBuilder();
    private long mark = System.nanoTime();

    String end(String step) {
      long now = System.nanoTime();
      line.append(line.length() == 0 ? "" : ", ")
          .append(step)
          .append(' ')
          .append(String.format(java.util.Locale.ROOT, "%.1f s", (now - mark) / 1e9));
      mark = now;
      return line.toString();
    }
  }

  /** docker-compose.yml with its host ports moved to free loopback ports. */
  private Path writeComposeFile() throws Exception {
    String text = Files.readString(root.resolve("docker-compose.yml"));
    HostPorts ports = DockerPortShares.hostPorts(DockerPortShares.COMPOSE);
    Matcher m = PORT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int host = Integer.parseInt(m.group(1));
      int moved = hostPorts.computeIfAbsent(host, h -> ports.next());
      m.appendReplacement(out, "\"127.0.0.1:" + moved + ":" + m.group(2) + "\"");
    }
    m.appendTail(out);
    text = out.toString();
    for (var e : hostPorts.entrySet()) {
      text = text.replace("127.0.0.1:" + e.getKey() + ";", "127.0.0.1:" + e.getValue() + ";");
      text = text.replace("127.0.0.1:" + e.getKey() + ",", "127.0.0.1:" + e.getValue() + ",");
      text = text.replace("127.0.0.1:" + e.getKey() + "\"", "127.0.0.1:" + e.getValue() + "\"");
    }
    String heartbeat = "FAULTLINE_HEARTBEAT_TICKS: \"2\"\n";
    assertThat(text).contains(heartbeat);
    text = text.replace(heartbeat, heartbeat + "    FAULTLINE_SNAPSHOT_INTERVAL: \"50\"\n");
    // The project's Prometheus configuration, scraping every second instead of every 5 s: the
    // dashboard's rates need two scrapes after the traffic.
    String config = Files.readString(root.resolve("deploy/prometheus/prometheus.yml"));
    assertThat(config).contains("scrape_interval: 5s").contains("evaluation_interval: 5s");
    Path fastConfig = dir.resolve("prometheus.yml");
    Files.writeString(
        fastConfig,
        config
            .replace("scrape_interval: 5s", "scrape_interval: 1s")
            .replace("evaluation_interval: 5s", "evaluation_interval: 1s"));
    String mount = "./deploy/prometheus/prometheus.yml:";
    assertThat(text).contains(mount);
    text = text.replace(mount, fastConfig.toAbsolutePath() + ":");
    Path file = dir.resolve("docker-compose.yml");
    Files.writeString(file, text);
    return file;
  }

  private Compose.Result compose(long boundSeconds, String... args) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "docker-compose",
                "-p",
                PROJECT,
                "-f",
                composeFile.toString(),
                "--project-directory",
                root.toString()));
    argv.addAll(List.of(args));
    return Compose.run(argv, boundSeconds, dir);
  }

  /** Whether the node answers GET /readyz with 200 (it knows a leader). */
  private boolean ready(String node) {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create("http://" + httpEndpoint(node) + "/readyz"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (Exception notYet) {
      return false;
    }
  }

  /** Each node's container id, looked up once: one docker-compose process per poll is slow. */
  private final Map<String, String> containers = new java.util.concurrent.ConcurrentHashMap<>();

  private boolean healthy(String service) {
    try {
      String container = containers.get(service);
      if (container == null) {
        container = compose(60, "ps", "-q", service).output().trim();
        if (container.isEmpty()) {
          return false;
        }
        containers.put(service, container);
      }
      var state =
          org.testcontainers.DockerClientFactory.instance()
              .client()
              .inspectContainerCmd(container)
              .exec()
              .getState();
      return state.getHealth() != null && "healthy".equals(state.getHealth().getStatus());
    } catch (Exception e) {
      return false;
    }
  }

  private String awaitOneLeader(List<String> nodes, Duration bound) {
    String[] leader = new String[1];
    await("one leader named by " + nodes)
        .atMost(bound)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Optional<String> first = leaderSeenBy(nodes.get(0));
              if (first.isEmpty()) {
                return false;
              }
              for (String n : nodes) {
                if (!leaderSeenBy(n).equals(first)) {
                  return false;
                }
              }
              leader[0] = first.get();
              return true;
            });
    return leader[0];
  }

  private Optional<String> leaderSeenBy(String node) {
    try {
      JsonNode cluster = getJson("http://" + httpEndpoint(node) + "/v1/cluster");
      String leader = cluster.path("leaderId").asText("");
      return leader.isEmpty() || cluster.path("leaderId").isNull()
          ? Optional.empty()
          : Optional.of(leader);
    } catch (Exception unreachable) {
      return Optional.empty();
    }
  }

  private String httpEndpoint(String node) {
    return "127.0.0.1:" + hostPorts.get(8080 + Integer.parseInt(node.substring(1)));
  }

  private String grpcEndpoint(String node) {
    return "127.0.0.1:" + hostPorts.get(9090 + Integer.parseInt(node.substring(1)));
  }

  private KvClient httpClient(String node) {
    return KvClient.http(
        KvClientOptions.of(List.of(httpEndpoint(node))).withCallTimeout(Duration.ofSeconds(5)));
  }

  /**
   * Requests of every kind over both protocols, through every node: writes, reads, CAS that swap
   * and that fail, reads of absent keys (404 / NOT_FOUND) and deletes, enough to pass the snapshot
   * interval and to leave shards sparse. A request whose outcome is unknown (a slow machine) is
   * only traffic lost; at least one request of each protocol must succeed.
   */
  private void drive() {
    int httpOk = 0;
    int grpcOk = 0;
    List<String> errors = new ArrayList<>();
    for (String node : NODES) {
      try (KvClient h =
              KvClient.http(
                  KvClientOptions.of(List.of(httpEndpoint(node)))
                      .withCallTimeout(Duration.ofSeconds(3))
                      .withTotalTimeout(Duration.ofSeconds(6)));
          KvClient g =
              KvClient.grpc(
                  KvClientOptions.of(List.of(grpcEndpoint(node)))
                      .withCallTimeout(Duration.ofSeconds(3))
                      .withTotalTimeout(Duration.ofSeconds(6)))) {
        // Eight rounds: about 150 writes, three times the snapshot interval set above (50).
        for (int i = 0; i < 8; i++) {
          String key = node + "-k" + i;
          String gkey = key + "-g";
          int n = i;
          httpOk += attempt(errors, () -> h.put(key, "v" + n));
          httpOk += attempt(errors, () -> h.get(key));
          httpOk += attempt(errors, () -> h.cas(key, "v" + n, "w" + n));
          httpOk += attempt(errors, () -> h.cas(key, "not-it", "x"));
          httpOk += attempt(errors, () -> h.get(key + "-absent"));
          grpcOk += attempt(errors, () -> g.put(gkey, "g" + n));
          grpcOk += attempt(errors, () -> g.get(gkey));
          grpcOk += attempt(errors, () -> g.cas(gkey, "not-it", "x"));
          grpcOk += attempt(errors, () -> g.get(gkey + "-absent"));
          httpOk += attempt(errors, () -> h.delete(key));
          grpcOk += attempt(errors, () -> g.delete(gkey));
        }
      }
    }
    assertThat(httpOk).as("HTTP requests answered; errors: %s", errors).isPositive();
    assertThat(grpcOk).as("gRPC requests answered; errors: %s", errors).isPositive();
  }

  private static int attempt(List<String> errors, Runnable request) {
    try {
      request.run();
      return 1;
    } catch (RuntimeException e) {
      if (errors.size() < 5) {
        errors.add(e.getMessage());
      }
      return 0;
    }
  }

  private List<String> dashboardQueries() throws Exception {
    JsonNode dashboard =
        JSON.readTree(root.resolve("deploy/grafana/dashboards/faultline.json").toFile());
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText("");
        if (!expr.isEmpty()) {
          queries.add(grafanaVariables(expr));
        }
      }
    }
    return queries;
  }

  /**
   * Grafana's variables as it would expand them here: {@code $instance} at its "All" value, and
   * {@code $__rate_interval} as one minute (at least four scrapes of 5 s, as Grafana requires).
   */
  static String grafanaVariables(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("$instance", ".*");
  }

  private List<JsonNode> upTargets(String prometheus) {
    try {
      JsonNode targets = getJson(prometheus + "/api/v1/targets");
      List<JsonNode> up = new ArrayList<>();
      for (JsonNode t : targets.path("data").path("activeTargets")) {
        if ("up".equals(t.path("health").asText())) {
          up.add(t);
        }
      }
      return up;
    } catch (Exception notYet) {
      return List.of();
    }
  }

  private int seriesOf(String prometheus, String query) throws Exception {
    JsonNode r =
        getJson(
            prometheus + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    assertThat(r.path("status").asText()).as("Prometheus on %s: %s", query, r).isEqualTo("success");
    return r.path("data").path("result").size();
  }

  private JsonNode getJson(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private boolean imagePresentOrPullable(String image) {
    try {
      Compose.Result inspect = Compose.run(List.of("docker", "image", "inspect", image), 60, dir);
      if (inspect.code() == 0) {
        return true;
      }
      return Compose.run(List.of("docker", "pull", "-q", image), 120, dir).code() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static String env(String name, String otherwise) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? otherwise : v;
  }

  private static Optional<Path> onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, program);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The jar the Dockerfile copies in, relative to the project root. */
  private static final class NodeImageJar {
    static final String PATH = "testbed/target/faultline.jar";
  }

  /** One external command, bounded in time, with its output. */
  private static final class Compose {
    record Result(int code, String output) {}

    static Result run(List<String> argv, long boundSeconds, Path dir) throws Exception {
      Path log = Files.createTempFile(dir, "cmd", ".log");
      Process p =
          new ProcessBuilder(argv)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(boundSeconds, TimeUnit.SECONDS)) {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
        throw new AssertionError(
            String.join(" ", argv) + " ran over " + boundSeconds + " s:\n" + Files.readString(log));
      }
      String output = Files.readString(log);
      Files.deleteIfExists(log);
      return new Result(p.exitValue(), output);
    }
  }
}
