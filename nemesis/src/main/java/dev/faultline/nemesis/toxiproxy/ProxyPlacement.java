package dev.faultline.nemesis.toxiproxy;

/**
 * Where the proxies live: Toxiproxy binds {@code listenHost}, nodes reach it at {@code dialHost},
 * and the proxy of link {@code ni → nj} (1-based positions in the member list) uses port {@code
 * basePort + 100·i + j}, so {@code n1-to-n2} with base 20000 is port 20102.
 *
 * @param listenHost what the proxies bind, e.g. {@code 127.0.0.1}, or {@code 0.0.0.0} in a
 *     container
 * @param dialHost how the nodes reach Toxiproxy, e.g. {@code 127.0.0.1} or {@code toxiproxy}
 * @param basePort the port scheme's base
 */
public record ProxyPlacement(String listenHost, String dialHost, int basePort) {
  public ProxyPlacement {
    if (basePort < 1024 || basePort > 65535) {
      throw new IllegalArgumentException("base port " + basePort + " must be in 1024..65535");
    }
  }

  /** Proxies on this machine's loopback, as a local {@code toxiproxy-server} serves them. */
  public static ProxyPlacement loopback(int basePort) {
    return new ProxyPlacement("127.0.0.1", "127.0.0.1", basePort);
  }

  /** Proxies in a container known to the nodes as {@code alias} on a shared network. */
  public static ProxyPlacement container(String alias, int basePort) {
    return new ProxyPlacement("0.0.0.0", alias, basePort);
  }

  /** The port of the link from the {@code i}-th to the {@code j}-th member (1-based). */
  public int port(int i, int j) {
    return basePort + 100 * i + j;
  }

  /** The largest port used by a cluster of {@code n} members. */
  public int highestPort(int n) {
    return port(n, n - 1);
  }
}
