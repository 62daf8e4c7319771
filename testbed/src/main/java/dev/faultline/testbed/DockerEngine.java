package dev.faultline.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether a Docker engine listens where a client would look for one: {@code DOCKER_HOST}, {@code
 * docker.host} in {@code ~/.testcontainers.properties}, else the usual sockets. Asked before
 * Testcontainers is, because Testcontainers logs a multi-line error of its own when there is none;
 * this answers in one line. An engine that listens may still refuse work: that is left to the
 * caller's real client.
 */
public final class DockerEngine {
  private static final int CONNECT_MILLIS = 2000;

  private DockerEngine() {}

  /**
   * Why no engine can be reached, in one line ending with what to do, or empty when one listens (or
   * the configured address is of a kind this check does not speak, such as {@code ssh://}).
   *
   * @param env the environment ({@code System.getenv()})
   * @param home the user's home directory
   */
  public static Optional<String> absence(Map<String, String> env, Path home) {
    String fromEnv = env.get("DOCKER_HOST");
    boolean inEnv = fromEnv != null && !fromEnv.isBlank();
    String configured = inEnv ? fromEnv.strip() : testcontainersHost(home);
    if (configured != null && !configured.isBlank()) {
      String source =
          inEnv ? "DOCKER_HOST" : home.resolve(".testcontainers.properties") + " docker.host";
      return unreachable(configured.strip())
          .map(
              w ->
                  "no Docker engine answers at "
                      + source
                      + "="
                      + configured.strip()
                      + " ("
                      + w
                      + "); start the engine or point DOCKER_HOST at a running one, or use"
                      + " --cluster local");
    }
    List<Path> sockets = new ArrayList<>();
    sockets.add(Path.of("/var/run/docker.sock"));
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank()) {
      sockets.add(Path.of(runtime, "docker.sock"));
    }
    sockets.add(home.resolve(".docker/run/docker.sock"));
    sockets.add(home.resolve(".docker/desktop/docker.sock"));
    for (Path s : sockets) {
      if (Files.exists(s) && listens(s)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "no Docker engine found (DOCKER_HOST is not set and nothing listens at "
            + sockets.get(0)
            + "); start one or set DOCKER_HOST (e.g. unix:///path/docker.sock), or use"
            + " --cluster local");
  }

  /** Why {@code address} does not answer, or empty when it listens or is not checked here. */
  private static Optional<String> unreachable(String address) {
    URI uri;
    try {
      uri = URI.create(address);
    } catch (IllegalArgumentException e) {
      return Optional.of("not an address like unix:///var/run/docker.sock or tcp://HOST:PORT");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    switch (scheme) {
      case "unix" -> {
        Path socket = Path.of(uri.getPath());
        if (!Files.exists(socket)) {
          return Optional.of("no such socket");
        }
        return listens(socket) ? Optional.empty() : Optional.of("nothing listens on the socket");
      }
      case "tcp", "http", "https" -> {
        if (uri.getHost() == null) {
          return Optional.of("no host in the address");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 2376 : 2375;
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_MILLIS);
          return Optional.empty();
        } catch (IOException e) {
          return Optional.of("cannot connect: " + e.getMessage());
        }
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static boolean listens(Path socket) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      return ch.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String testcontainersHost(Path home) {
    Path file = home.resolve(".testcontainers.properties");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      return null;
    }
    return p.getProperty("docker.host");
  }
}
