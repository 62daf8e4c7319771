package dev.faultline.nemesis.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.nemesis.net.Grudge;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Toxiproxy net against a real {@code toxiproxy-server} on loopback, with stand-in nodes that
 * answer a line with {@code <id> <line>}: a partition cuts exactly the grudge's links and a heal
 * restores them, and latency, bandwidth and flaky faults are measured to act on the link. Skips
 * when no {@code toxiproxy-server} is found: {@code FAULTLINE_TOXIPROXY_SERVER}, the PATH, or the
 * static build beside the project in {@code ../shared/tools/toxiproxy/}.
 */
class LocalToxiproxyServerTest {

  @TempDir Path dir;
  Process server;
  final List<ServerSocket> nodes = new ArrayList<>();
  final ExecutorService pool = Executors.newCachedThreadPool();
  ToxiproxyNet net;

  /** The server binary: {@code FAULTLINE_TOXIPROXY_SERVER}, the PATH, or the shared build. */
  static Path toxiproxyServer() {
    String configured = System.getenv("FAULTLINE_TOXIPROXY_SERVER");
    if (configured != null && Files.isExecutable(Path.of(configured))) {
      return Path.of(configured);
    }
    Path onPath = onPath("toxiproxy-server");
    if (onPath != null) {
      return onPath;
    }
    Path root = Path.of(System.getProperty("faultline.root", "..")).toAbsolutePath().normalize();
    for (Path r = root; r != null; r = r.getParent()) {
      Path shared = r.resolveSibling("shared").resolve("tools/toxiproxy/toxiproxy-server");
      if (Files.isExecutable(shared)) {
        return shared;
      }
    }
    return null;
  }

  static Path onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(d, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @BeforeEach
  void startServer() throws Exception {
    Path binary = toxiproxyServer();
    Assumptions.assumeTrue(
        binary != null,
        "no toxiproxy-server (FAULTLINE_TOXIPROXY_SERVER, the PATH, ../shared/tools/toxiproxy/):"
            + " install Toxiproxy (github.com/Shopify/toxiproxy releases) to run this check");
    int apiPort = freePort();
    server =
        new ProcessBuilder(
                binary.toString(), "-host", "127.0.0.1", "-port", Integer.toString(apiPort))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("toxiproxy.log").toFile())
            .start();
    List<Member> members = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String id = "n" + i;
      ServerSocket socket = new ServerSocket();
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      nodes.add(socket);
      pool.submit(() -> serve(id, socket));
      members.add(new Member(id, "127.0.0.1:" + socket.getLocalPort(), null, null));
    }
    // Proxy ports: a base in the upper range whose nine ports are free now.
    int base = 40000 + (int) (ProcessHandle.current().pid() % 200) * 100;
    ProxyTopology topology = ProxyTopology.of(members, ProxyPlacement.loopback(base));
    URI api = URI.create("http://127.0.0.1:" + apiPort);
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> ToxiproxyControl.of(api).version() != null);
    net = ToxiproxyNet.connect(api, topology);
  }

  private static void serve(String id, ServerSocket socket) {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept();
          var in =
              new BufferedReader(
                  new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
          var out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
        String line = in.readLine();
        out.println(id + " " + line);
      } catch (IOException closedOrReset) {
        // The next connection gets a fresh try.
      }
    }
  }

  /**
   * Nanoseconds one exchange of {@code line} takes from {@code from} to {@code to} and back through
   * the link's proxy.
   */
  long exchange(String from, String to, String line) throws IOException {
    String dial = net.topology().proxy(from, to).dial();
    int colon = dial.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              dial.substring(0, colon), Integer.parseInt(dial.substring(colon + 1))),
          1000);
      s.setSoTimeout(30_000);
      long start = System.nanoTime();
      var out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
      out.println(line);
      String answer =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      long took = System.nanoTime() - start;
      assertThat(answer).isEqualTo(to + " " + line);
      return took;
    }
  }

  /** Whether {@code from} reaches {@code to} through the proxy of that link, within a second. */
  boolean reaches(String from, String to) {
    String dial = net.topology().proxy(from, to).dial();
    int colon = dial.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              dial.substring(0, colon), Integer.parseInt(dial.substring(colon + 1))),
          1000);
      s.setSoTimeout(1000);
      var out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
      out.println("hello from " + from);
      String answer =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      return (to + " hello from " + from).equals(answer);
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void partitionCutsTheGrudgesLinksAndHealRestoresThem() {
    for (LinkProxy p : net.topology().proxies()) {
      assertThat(reaches(p.link().from(), p.link().to())).as(p.name()).isTrue();
    }
    net.partition(Grudge.parse("n1:n2,n3"));
    for (LinkProxy p : net.topology().proxies()) {
      boolean cut = p.link().to().equals("n1");
      assertThat(reaches(p.link().from(), p.link().to())).as(p.name()).isEqualTo(!cut);
    }
    net.heal();
    for (LinkProxy p : net.topology().proxies()) {
      assertThat(reaches(p.link().from(), p.link().to())).as(p.name()).isTrue();
    }
  }

  @Test
  void flakyFaultResetsTheLinksConnections() {
    ToxicFault flaky = ToxicFault.flaky(List.of(new Link("n2", "n3")), Duration.ZERO, 1.0);
    assertThat(net.start(flaky).ok()).isTrue();
    assertThat(reaches("n2", "n3")).isFalse();
    assertThat(reaches("n3", "n2")).isTrue();
    assertThat(net.stop(flaky).ok()).isTrue();
    assertThat(reaches("n2", "n3")).isTrue();
  }

  @Test
  void latencyFaultDelaysEachWayByItsLatency() throws IOException {
    ToxicFault latency =
        ToxicFault.latency(List.of(new Link("n1", "n2")), Duration.ofMillis(300), Duration.ZERO);
    assertThat(net.start(latency).ok()).isTrue();
    // 300 ms upstream and 300 ms downstream: an exchange cannot take less than 600 ms.
    assertThat(Duration.ofNanos(exchange("n1", "n2", "ping"))).isGreaterThanOrEqualTo(ms(600));
    assertThat(net.stop(latency).ok()).isTrue();
    assertThat(reaches("n1", "n2")).isTrue();
  }

  @Test
  void bandwidthFaultCapsTheLinksRate() throws IOException {
    String line = "x".repeat(16 * 1024);
    ToxicFault capped = ToxicFault.bandwidth(List.of(new Link("n3", "n1")), 8);
    assertThat(net.start(capped).ok()).isTrue();
    // 16 KB each way at 8 KB/s: at least two seconds each way.
    assertThat(Duration.ofNanos(exchange("n3", "n1", line))).isGreaterThanOrEqualTo(ms(3000));
    assertThat(net.stop(capped).ok()).isTrue();
    assertThat(reaches("n3", "n1")).isTrue();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @AfterEach
  void stop() throws Exception {
    if (net != null) {
      net.close();
    }
    for (ServerSocket s : nodes) {
      s.close();
    }
    pool.shutdownNow();
    if (server != null) {
      server.destroyForcibly().waitFor();
    }
  }
}
