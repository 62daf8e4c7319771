package dev.faultline.testbed.run;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a run's nodes live and how they are reached: local processes or Docker containers, peer
 * links straight (in the network sandbox) or through Toxiproxy, plaintext or TLS with bearer
 * tokens. The default is plaintext local processes in the network sandbox.
 *
 * @param cluster {@code local} processes or {@code docker} containers
 * @param net for local processes: the network {@code sandbox} (iptables partitions) or {@code
 *     toxiproxy} (every peer link through a proxy of the server at {@code toxiproxy}); a Docker
 *     cluster always runs its own Toxiproxy container
 * @param toxiproxy the API of the Toxiproxy server for {@code --net toxiproxy}
 * @param tls every node gets a certificate of a throwaway CA and a token file; clients and probes
 *     use HTTPS (gRPC over TLS) and tokens
 */
public record Backend(Cluster cluster, Net net, URI toxiproxy, boolean tls) {
  /** The API a local {@code toxiproxy-server} listens on by default. */
  public static final URI DEFAULT_TOXIPROXY = URI.create("http://127.0.0.1:8474");

  /** Plaintext local nodes in the network sandbox. */
  public static final Backend DEFAULT =
      new Backend(Cluster.LOCAL, Net.SANDBOX, DEFAULT_TOXIPROXY, false);

  /** Where the nodes run. */
  public enum Cluster {
    LOCAL,
    DOCKER;

    public static Cluster parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "local" -> LOCAL;
        case "docker" -> DOCKER;
        default -> throw new IllegalArgumentException("--cluster " + s + ": use local or docker");
      };
    }
  }

  /** How local nodes' peer links are cut. */
  public enum Net {
    SANDBOX,
    TOXIPROXY;

    public static Net parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "sandbox" -> SANDBOX;
        case "toxiproxy" -> TOXIPROXY;
        default -> throw new IllegalArgumentException("--net " + s + ": use sandbox or toxiproxy");
      };
    }
  }

  public Backend {
    if (cluster == Cluster.DOCKER && tls) {
      throw new IllegalArgumentException(
          "--tls with --cluster docker: the containers run plaintext on their private network;"
              + " drop --tls, or run local nodes (--cluster local)");
    }
    if (cluster == Cluster.DOCKER && net == Net.SANDBOX) {
      net = Net.TOXIPROXY;
    }
    String scheme = toxiproxy.getScheme();
    if (!"http".equals(scheme) || toxiproxy.getHost() == null) {
      throw new IllegalArgumentException(
          "--toxiproxy " + toxiproxy + ": write the server's API as http://HOST:PORT");
    }
  }

  /** Plaintext or TLS local nodes in the network sandbox. */
  public Backend(boolean tls) {
    this(Cluster.LOCAL, Net.SANDBOX, DEFAULT_TOXIPROXY, tls);
  }

  /** Whether peer links go through Toxiproxy, so link faults (latency, ...) can be injected. */
  public boolean proxiedLinks() {
    return net == Net.TOXIPROXY;
  }

  /** Whether the run needs the network sandbox (local nodes without Toxiproxy). */
  public boolean needsSandbox() {
    return cluster == Cluster.LOCAL && net == Net.SANDBOX;
  }

  /** The backend's options as plain values, for test.json. */
  public Map<String, Object> toMap() {
    var m = new LinkedHashMap<String, Object>();
    m.put("cluster", cluster.name().toLowerCase(Locale.ROOT));
    m.put("net", net.name().toLowerCase(Locale.ROOT));
    m.put("toxiproxy", cluster == Cluster.LOCAL && proxiedLinks() ? toxiproxy.toString() : null);
    m.put("tls", tls);
    return m;
  }
}
