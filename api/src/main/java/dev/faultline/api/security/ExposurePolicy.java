package dev.faultline.api.security;

import dev.faultline.api.config.Addresses;
import dev.faultline.api.config.ConfigException;
import dev.faultline.api.config.NodeConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up rules that keep a node from exposing what can hurt its data by accident. A node
 * whose HTTP, gRPC or peer address is not loopback must serve TLS unless {@code insecure} is set,
 * and may run deliberate bugs only with {@code allow-bugs}. On loopback both are allowed: only this
 * machine can reach the node.
 */
public final class ExposurePolicy {

  private ExposurePolicy() {}

  /**
   * Refuses {@code config} with a one-line reason when it breaks a rule; otherwise returns the
   * warnings to log loudly (plaintext or bugs on a reachable address, acknowledged).
   */
  public static List<String> check(NodeConfig config) {
    List<String> exposed = new ArrayList<>();
    for (String[] a :
        new String[][] {
          {"http-address", config.httpAddress()},
          {"grpc-address", config.grpcAddress()},
          {"peer-address", config.peerAddress()}
        }) {
      if (!isLoopback(a[1])) {
        exposed.add(a[0] + " " + a[1]);
      }
    }
    List<String> warnings = new ArrayList<>();
    if (exposed.isEmpty()) {
      return warnings;
    }
    String where = String.join(", ", exposed);
    if (!config.tlsEnabled()) {
      if (!config.insecure()) {
        throw new ConfigException(
            "node "
                + config.id()
                + " would serve plaintext on a non-loopback address ("
                + where
                + "): set tls-cert, tls-key and tls-ca (see docs/SECURITY.md), bind 127.0.0.1,"
                + " or pass --insecure to accept that anyone on the network can read and write");
      }
      warnings.add(
          "INSECURE: node "
              + config.id()
              + " serves PLAINTEXT without peer authentication on "
              + where
              + " (--insecure): anyone who reaches these addresses can read, write and join");
    }
    if (!config.bugs().isEmpty()) {
      if (!config.allowBugs()) {
        throw new ConfigException(
            "node "
                + config.id()
                + " would run deliberate bugs "
                + config.bugs()
                + " on a non-loopback address ("
                + where
                + "): bind 127.0.0.1, or pass --allow-bugs to accept that this node loses data"
                + " on purpose");
      }
      warnings.add(
          "ALLOW-BUGS: node "
              + config.id()
              + " runs deliberate bugs "
              + config.bugs()
              + " on "
              + where
              + ": it will lose or corrupt data on purpose");
    }
    return warnings;
  }

  /** Whether {@code host:port} binds only loopback ({@code 0.0.0.0} and {@code ::} do not). */
  public static boolean isLoopback(String address) {
    String host = Addresses.host(address);
    try {
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
