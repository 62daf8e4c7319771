package dev.faultline.testbed.run;

import dev.faultline.api.security.ClusterPki;
import dev.faultline.nemesis.cluster.NodeLauncher;
import dev.faultline.nemesis.cluster.NodeSpec;
import dev.faultline.nemesis.net.NodeAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The command line of one node of a test cluster: this very program ({@code java -jar
 * faultline.jar}, or its class path when not run from a jar) with {@code node --id ... --peers
 * ...}. Every node has its own address, so all use the same ports.
 */
public final class NodeCommandLine implements NodeLauncher {
  public static final int HTTP_PORT = 8080;
  public static final int GRPC_PORT = 9090;
  public static final int PEER_PORT = 7070;

  /** The {@code faultline} command's main class; named, not imported: it lives above the runner. */
  public static final String MAIN_CLASS = "dev.faultline.testbed.Faultline";

  /** Small heaps and the client compiler: a whole cluster shares a small machine. */
  static final List<String> NODE_JVM_FLAGS =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");

  private final List<String> program;
  private final Path work;
  private final Optional<String> bug;
  private final Optional<ClusterPki> pki;
  private final Optional<Function<String, String>> peers;
  private final Optional<NodeClassArchive> archive;

  /**
   * @param program how to start this program, e.g. {@link #thisProgram()}
   * @param work the directory holding each node's {@code <id>/} working directory
   * @param bug a deliberate bug to switch on in every node
   */
  public NodeCommandLine(List<String> program, Path work, Optional<String> bug) {
    this(program, work, bug, Optional.empty());
  }

  /**
   * @param pki when present, every node serves TLS and wants bearer tokens with this material
   *     ({@link ClusterPki#nodeOptions}) instead of running plaintext with {@code --insecure}
   */
  public NodeCommandLine(
      List<String> program, Path work, Optional<String> bug, Optional<ClusterPki> pki) {
    this(program, work, bug, pki, Optional.empty(), Optional.empty());
  }

  private NodeCommandLine(
      List<String> program,
      Path work,
      Optional<String> bug,
      Optional<ClusterPki> pki,
      Optional<Function<String, String>> peers,
      Optional<NodeClassArchive> archive) {
    this.program = List.copyOf(program);
    this.work = work;
    this.bug = bug;
    this.pki = pki;
    this.peers = peers;
    this.archive = archive;
  }

  /**
   * The same command lines with each node's {@code --peers} value taken from {@code peersLine}
   * (node id to line), e.g. {@code ProxyTopology::peersLine} to send peer traffic through proxies.
   */
  public NodeCommandLine withPeers(Function<String, String> peersLine) {
    return new NodeCommandLine(program, work, bug, pki, Optional.of(peersLine), archive);
  }

  /** The same command lines with the JVM flags of {@code classes} (use or write the archive). */
  public NodeCommandLine withClassArchive(NodeClassArchive classes) {
    return new NodeCommandLine(program, work, bug, pki, peers, Optional.of(classes));
  }

  @Override
  public NodeSpec spec(NodeAddress self, List<NodeAddress> all) {
    Path dir = work.resolve(self.id()).toAbsolutePath();
    Path data = dir.resolve("data");
    var argv = new ArrayList<>(archive.map(a -> a.program(self.id(), program)).orElse(program));
    argv.addAll(
        List.of(
            "node",
            "--id",
            self.id(),
            "--data",
            data.toString(),
            "--http",
            self.hostPort(HTTP_PORT),
            "--grpc",
            self.hostPort(GRPC_PORT),
            "--peer",
            self.hostPort(PEER_PORT),
            "--peers",
            peers.isPresent()
                ? peers.get().apply(self.id())
                : all.stream()
                    .map(a -> a.id() + "=" + a.hostPort(PEER_PORT))
                    .collect(Collectors.joining(","))));
    if (pki.isPresent()) {
      pki.get()
          .nodeOptions(self.id())
          .forEach(
              (name, value) -> {
                argv.add("--" + name);
                argv.add(value);
              });
    } else {
      // The nodes listen on addresses that exist only inside the run's private network namespace
      // (or on loopback), so plaintext is acknowledged here; see SECURITY.md.
      argv.add("--insecure");
    }
    // Deliberate bugs on a non-loopback address need acknowledging, with or without TLS.
    bug.ifPresent(
        b -> {
          argv.add("--allow-bugs");
          argv.add("--bug");
          argv.add(b);
        });
    return new NodeSpec(self.id(), argv, Map.of(), dir, data, dir.resolve("stdout.log"));
  }

  /**
   * {@code java <flags> -jar <the jar holding this class>}, or {@code java <flags> -cp <class path>
   * dev.faultline.testbed.Faultline} when the class was loaded from a directory (tests).
   */
  public static List<String> thisProgram() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    var argv = new ArrayList<String>();
    argv.add(java);
    argv.addAll(NODE_JVM_FLAGS);
    Optional<Path> jar = thisJar();
    if (jar.isPresent()) {
      argv.add("-jar");
      argv.add(jar.get().toString());
    } else {
      argv.add("-cp");
      argv.add(System.getProperty("java.class.path"));
      argv.add(MAIN_CLASS);
    }
    return argv;
  }

  /** The jar the {@code faultline} main class was loaded from, if it was loaded from a jar. */
  public static Optional<Path> thisJar() {
    return jarOfMainClass(NodeCommandLine.class.getClassLoader());
  }

  /**
   * The jar from which {@code loader} would load the main class: not this class's own jar, which
   * under a build is the runner's jar and has no main class.
   */
  static Optional<Path> jarOfMainClass(ClassLoader loader) {
    try {
      var url = loader.getResource(MAIN_CLASS.replace('.', '/') + ".class");
      if (url == null || !"jar".equals(url.getProtocol())) {
        return Optional.empty();
      }
      String file = url.getPath();
      int bang = file.indexOf("!/");
      if (bang < 0) {
        return Optional.empty();
      }
      Path path = Path.of(new URI(file.substring(0, bang))).toAbsolutePath();
      return Files.isRegularFile(path) && path.toString().endsWith(".jar")
          ? Optional.of(path)
          : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
