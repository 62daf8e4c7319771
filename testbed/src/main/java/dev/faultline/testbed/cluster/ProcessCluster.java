package dev.faultline.testbed.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.api.security.ClusterPki;
import dev.faultline.api.security.TlsCredentials;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
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

/**
 * A local cluster of {@code faultline node} processes on loopback ports, each node with its own
 * HTTP, gRPC and peer port and its own folder under the cluster's data directory. The processes are
 * detached (own session, stdin from /dev/null), so they outlive the command that started them;
 * {@link ClusterState} in the data directory is how later commands find them again.
 */
public final class ProcessCluster implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How to lay out and start a cluster.
   *
   * @param basePort node i (from 1) serves HTTP on basePort+i-1, gRPC on basePort+100+i-1 and Raft
   *     on basePort+200+i-1
   * @param nodeOptions extra node options ({@code tick-ms} → {@code --tick-ms VALUE})
   * @param command the command line before {@code node ...}, e.g. {@code java -jar faultline.jar}
   * @param tls whether to generate a throwaway CA, node and client certificates and tokens into the
   *     data directory ({@link ClusterPki}) and run the nodes with TLS and bearer tokens
   */
  public record Options(
      int nodes,
      Path dataDir,
      String host,
      int basePort,
      List<String> bugs,
      Map<String, String> nodeOptions,
      List<String> command,
      Duration readyTimeout,
      boolean tls) {

    public Options(
        int nodes,
        Path dataDir,
        String host,
        int basePort,
        List<String> bugs,
        Map<String, String> nodeOptions,
        List<String> command,
        Duration readyTimeout) {
      this(nodes, dataDir, host, basePort, bugs, nodeOptions, command, readyTimeout, false);
    }

    public Options {
      if (nodes < 1 || nodes > 99) {
        throw new IllegalArgumentException("--nodes must be 1 to 99, was " + nodes);
      }
      if (basePort < 1 || basePort + 200 + nodes > 65535) {
        throw new IllegalArgumentException(
            "--base-port " + basePort + " leaves no room for " + nodes + " nodes' ports");
      }
      bugs = List.copyOf(bugs);
      nodeOptions = Map.copyOf(nodeOptions);
      command = List.copyOf(command);
    }

    /** Three nodes on 127.0.0.1 from {@code basePort}, started by this JVM's own command. */
    public static Options of(Path dataDir, int nodes, int basePort) {
      return new Options(
          nodes,
          dataDir,
          "127.0.0.1",
          basePort,
          List.of(),
          Map.of(),
          defaultCommand(),
          Duration.ofSeconds(60));
    }

    public Options withBugs(List<String> b) {
      return new Options(
          nodes, dataDir, host, basePort, b, nodeOptions, command, readyTimeout, tls);
    }

    public Options withNodeOptions(Map<String, String> o) {
      return new Options(nodes, dataDir, host, basePort, bugs, o, command, readyTimeout, tls);
    }

    public Options withCommand(List<String> c) {
      return new Options(nodes, dataDir, host, basePort, bugs, nodeOptions, c, readyTimeout, tls);
    }

    public Options withReadyTimeout(Duration t) {
      return new Options(nodes, dataDir, host, basePort, bugs, nodeOptions, command, t, tls);
    }

    public Options withTls(boolean on) {
      return new Options(
          nodes, dataDir, host, basePort, bugs, nodeOptions, command, readyTimeout, on);
    }
  }

  private final Path dir;
  private final HttpClient http;
  private final String scheme;
  private final String token;
  private ClusterState state;

  private ProcessCluster(Path dir, ClusterState state) throws IOException {
    this.dir = dir;
    this.state = state;
    // 3 s to connect: a status is a fresh JVM, and its first TLS handshakes, cold, took over 1 s on
    // a loaded machine, so live nodes showed as "no answer".
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
    boolean tls = !state.nodes().isEmpty() && state.nodes().get(0).argv().contains("--tls-cert");
    if (tls) {
      // A --tls cluster: its CA and admin token are in the cluster directory.
      b.sslContext(TlsCredentials.trusting(dir.resolve(ClusterPki.CA_FILE)).sslContext());
      token = Files.readString(dir.resolve(ClusterPki.ADMIN_TOKEN_FILE)).strip();
    } else {
      token = null;
    }
    this.scheme = tls ? "https" : "http";
    this.http = b.build();
  }

  /** Whether the nodes serve TLS and want bearer tokens (started with {@code --tls}). */
  public boolean tls() {
    return token != null;
  }

  /**
   * The command that runs this very program: {@code java [FAULTLINE_JAVA_OPTS] -cp CLASSPATH
   * dev.faultline.testbed.Faultline}.
   */
  public static List<String> defaultCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String opts = System.getenv("FAULTLINE_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      cmd.addAll(List.of(opts.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.faultline.testbed.Faultline");
    return cmd;
  }

  /** Starts every node, then waits until all of them know the same leader. */
  public static ProcessCluster up(Options o) throws IOException {
    Path dir = o.dataDir().toAbsolutePath();
    Files.createDirectories(dir);
    Optional<ClusterState> old = ClusterState.read(dir);
    if (old.isPresent() && old.get().nodes().stream().anyMatch(n -> n.process().isPresent())) {
      throw new IllegalStateException(
          "a cluster already runs from "
              + dir
              + ": stop it with 'faultline cluster down --data "
              + dir
              + "' or choose another --data");
    }
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= o.nodes(); i++) {
      ids.add("n" + i);
    }
    ClusterPki pki =
        o.tls()
            ? ClusterPki.generate(
                dir, ids, List.of(o.host(), "localhost", "127.0.0.1"), Duration.ofDays(30))
            : null;
    List<String> peers = new ArrayList<>();
    Map<String, String[]> addresses = new LinkedHashMap<>();
    for (int i = 1; i <= o.nodes(); i++) {
      String id = "n" + i;
      String h = o.host() + ":" + (o.basePort() + i - 1);
      String g = o.host() + ":" + (o.basePort() + 100 + i - 1);
      String p = o.host() + ":" + (o.basePort() + 200 + i - 1);
      requireFree(o.host(), o.basePort() + i - 1, id + "'s HTTP");
      requireFree(o.host(), o.basePort() + 100 + i - 1, id + "'s gRPC");
      requireFree(o.host(), o.basePort() + 200 + i - 1, id + "'s Raft peer");
      addresses.put(id, new String[] {h, g, p});
      peers.add(id + "=peer=" + p + ";http=" + h + ";grpc=" + g);
    }
    List<ClusterState.Node> nodes = new ArrayList<>();
    for (Map.Entry<String, String[]> e : addresses.entrySet()) {
      String id = e.getKey();
      String[] a = e.getValue();
      Path nodeDir = dir.resolve(id);
      List<String> argv = new ArrayList<>(o.command());
      argv.addAll(
          List.of(
              "node",
              "--id",
              id,
              "--data",
              nodeDir.toString(),
              "--http",
              a[0],
              "--grpc",
              a[1],
              "--peer",
              a[2],
              "--peers",
              String.join(",", peers)));
      for (String bug : o.bugs()) {
        argv.add("--bug");
        argv.add(bug);
      }
      if (pki != null) {
        pki.nodeOptions(id)
            .forEach(
                (k, v) -> {
                  argv.add("--" + k);
                  argv.add(v);
                });
      }
      o.nodeOptions()
          .forEach(
              (k, v) -> {
                argv.add("--" + k);
                argv.add(v);
              });
      nodes.add(
          new ClusterState.Node(
              id,
              -1,
              -1,
              a[0],
              a[1],
              a[2],
              nodeDir.toString(),
              nodeDir.resolve("node.log").toString(),
              argv));
    }
    ProcessCluster cluster = new ProcessCluster(dir, new ClusterState(nodes));
    try {
      for (ClusterState.Node n : nodes) {
        cluster.start(n.id());
      }
      cluster.awaitLeader(o.readyTimeout());
    } catch (IOException | RuntimeException e) {
      cluster.down(Duration.ofSeconds(5));
      throw e;
    }
    return cluster;
  }

  /** The cluster whose state file is in {@code dir}. */
  public static ProcessCluster attach(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    ClusterState s =
        ClusterState.read(abs)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no cluster in "
                            + abs
                            + " (no "
                            + ClusterState.FILE
                            + "): start one with 'faultline cluster up --data "
                            + abs
                            + "'"));
    return new ProcessCluster(abs, s);
  }

  static void requireFree(String host, int port, String what) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("in use")) {
        throw new IllegalStateException(
            "cannot listen on "
                + host
                + ":"
                + port
                + " ("
                + what
                + "): "
                + e.getMessage()
                + "; --host must be an address of this machine, e.g. 127.0.0.1");
      }
      throw new IllegalStateException(
          "port " + port + " on " + host + " (" + what + ") is in use: choose another --base-port");
    }
  }

  public Path dir() {
    return dir;
  }

  public ClusterState state() {
    return state;
  }

  /** Every node's HTTP base URL, {@code http://HOST:PORT} (https with TLS), in node order. */
  public List<String> httpUrls() {
    return state.nodes().stream().map(n -> scheme + "://" + n.http()).toList();
  }

  /** (Re)starts node {@code id} with its recorded command line, detached, output to its folder. */
  public synchronized void start(String id) throws IOException {
    ClusterState.Node n = state.node(id);
    if (n.process().isPresent()) {
      throw new IllegalStateException("node " + id + " already runs as pid " + n.pid());
    }
    Path nodeDir = Path.of(n.dataDir());
    Files.createDirectories(nodeDir);
    List<String> argv = new ArrayList<>();
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      argv.add(setsid.toString()); // its own session: no hang-up when the terminal goes
    }
    argv.addAll(n.argv());
    Process p =
        new ProcessBuilder(argv)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(nodeDir.resolve("stdout.log").toFile()))
            .redirectErrorStream(true)
            .start();
    long started = p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
    state = state.with(n.withProcess(p.pid(), started));
    state.write(dir);
  }

  /** Records a node that is not started yet (a replacement); {@link #start} runs it. */
  synchronized void addNode(ClusterState.Node node) throws IOException {
    if (state.ids().contains(node.id())) {
      throw new IllegalStateException("node " + node.id() + " is already in the cluster");
    }
    List<ClusterState.Node> nodes = new ArrayList<>(state.nodes());
    nodes.add(node);
    state = new ClusterState(nodes);
    state.write(dir);
  }

  /** Forgets node {@code id} (it left the membership); its folder stays. */
  synchronized void removeNode(String id) throws IOException {
    state = new ClusterState(state.nodes().stream().filter(n -> !n.id().equals(id)).toList());
    state.write(dir);
    stoppedOnPurpose.remove(id);
  }

  /** Sends {@code req} with the cluster's admin token when it has one; no redirect is followed. */
  HttpResponse<String> send(HttpRequest.Builder req) throws IOException, InterruptedException {
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** {@code http://HOST:PORT} (https with TLS) for the address {@code hostPort}. */
  String url(String hostPort) {
    return scheme + "://" + hostPort;
  }

  /** SIGKILL: the node gets no chance to sync or close anything. */
  public void kill(String id) {
    state
        .node(id)
        .process()
        .ifPresent(
            p -> {
              p.destroyForcibly();
              awaitExit(p, Duration.ofSeconds(10));
            });
  }

  /** SIGTERM, then SIGKILL once {@code grace} has passed; true when it stopped by itself. */
  public boolean stop(String id, Duration grace) {
    Optional<ProcessHandle> p = state.node(id).process();
    if (p.isEmpty()) {
      return true;
    }
    p.get().destroy();
    if (awaitExit(p.get(), grace)) {
      return true;
    }
    p.get().destroyForcibly();
    awaitExit(p.get(), Duration.ofSeconds(10));
    return false;
  }

  private static boolean awaitExit(ProcessHandle p, Duration bound) {
    try {
      p.onExit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !p.isAlive();
    }
  }

  /** Every node's view, asked in node order with a short timeout each. */
  public List<NodeView> views() {
    List<NodeView> out = new ArrayList<>();
    for (ClusterState.Node n : state.nodes()) {
      out.add(view(n));
    }
    return out;
  }

  private NodeView view(ClusterState.Node n) {
    boolean alive = n.process().isPresent();
    try {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(scheme + "://" + n.http() + "/v1/cluster"))
              .timeout(Duration.ofSeconds(2));
      if (token != null) {
        req.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r =
          http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200) {
        return down(n, alive, "HTTP " + r.statusCode());
      }
      JsonNode c = JSON.readTree(r.body());
      String role = null;
      Long commit = null;
      Long applied = null;
      for (JsonNode m : c.path("members")) {
        if (m.path("id").asText().equals(n.id())) {
          role = text(m.get("role"));
          commit = number(m.get("commitIndex"));
          applied = number(m.get("appliedIndex"));
        }
      }
      return new NodeView(
          n.id(),
          n.pid(),
          alive,
          n.http(),
          role,
          number(c.get("term")),
          text(c.get("leaderId")),
          commit,
          applied,
          null);
    } catch (IOException e) {
      return down(n, alive, "no answer: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down(n, alive, "interrupted");
    }
  }

  private static NodeView down(ClusterState.Node n, boolean alive, String why) {
    return new NodeView(n.id(), n.pid(), alive, n.http(), null, null, null, null, null, why);
  }

  private static String text(JsonNode j) {
    return j == null || j.isNull() ? null : j.asText();
  }

  private static Long number(JsonNode j) {
    return j == null || j.isNull() ? null : j.asLong();
  }

  /**
   * Waits until every running node names the same leader and that leader says it leads; returns its
   * id. Fails at once when a node process exits, quoting the end of its log.
   */
  public String awaitLeader(Duration bound) throws IOException {
    long deadline = System.nanoTime() + bound.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      List<NodeView> views = new ArrayList<>();
      for (ClusterState.Node n : state.nodes()) {
        if (n.pid() > 0 && n.process().isEmpty()) {
          continue;
        }
        views.add(view(n));
      }
      Optional<String> leader = agreedLeader(views);
      if (leader.isPresent()) {
        return leader.get();
      }
      if (!views.isEmpty()) {
        last = views.toString();
      }
      if (views.isEmpty()) {
        throw new IllegalStateException("no node of the cluster in " + dir + " is running");
      }
      try {
        Thread.sleep(100); // polling interval, bounded by the deadline above
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for a leader", e);
      }
      failIfAnyExited();
    }
    throw new IllegalStateException(
        "no leader agreed within " + bound.toSeconds() + " s; last seen: " + last);
  }

  private void failIfAnyExited() throws IOException {
    for (ClusterState.Node n : state.nodes()) {
      if (n.pid() > 0 && n.process().isEmpty() && !stoppedOnPurpose.contains(n.id())) {
        throw new IllegalStateException(
            "node " + n.id() + " exited during start-up; its log ends: " + tail(n));
      }
    }
  }

  private final java.util.Set<String> stoppedOnPurpose = new java.util.HashSet<>();

  /** Marks {@code id} as stopped by the caller, so a leader wait does not count it as a crash. */
  public void expectDown(String id, boolean down) {
    if (down) {
      stoppedOnPurpose.add(id);
    } else {
      stoppedOnPurpose.remove(id);
    }
  }

  private static Optional<String> agreedLeader(List<NodeView> views) {
    String leader = null;
    for (NodeView v : views) {
      if (!v.answered() || v.leader() == null) {
        return Optional.empty();
      }
      if (leader == null) {
        leader = v.leader();
      } else if (!leader.equals(v.leader())) {
        return Optional.empty();
      }
    }
    String l = leader;
    boolean leads = views.stream().anyMatch(v -> v.id().equals(l) && "leader".equals(v.role()));
    return leads ? Optional.of(l) : Optional.empty();
  }

  private static String tail(ClusterState.Node n) throws IOException {
    Path out = Path.of(n.dataDir()).resolve("stdout.log");
    if (!Files.exists(out)) {
      return "(no output)";
    }
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }

  /**
   * Stops every node (SIGTERM, SIGKILL after {@code grace}) and removes the state file; data and
   * logs stay. Returns the ids that had to be killed.
   */
  public List<String> down(Duration grace) throws IOException {
    List<ProcessHandle> running = new ArrayList<>();
    for (ClusterState.Node n : state.nodes()) {
      n.process().ifPresent(running::add);
    }
    running.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    List<String> killed = new ArrayList<>();
    for (ClusterState.Node n : state.nodes()) {
      Optional<ProcessHandle> p = n.process();
      if (p.isEmpty()) {
        continue;
      }
      long left = Math.max(0, deadline - System.nanoTime());
      if (!awaitExit(p.get(), Duration.ofNanos(left))) {
        p.get().destroyForcibly();
        awaitExit(p.get(), Duration.ofSeconds(10));
        killed.add(n.id());
      }
    }
    Files.deleteIfExists(dir.resolve(ClusterState.FILE));
    return killed;
  }

  @Override
  public void close() throws IOException {
    down(Duration.ofSeconds(10));
  }
}
