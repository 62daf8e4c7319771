package dev.faultline.api.config;

import dev.faultline.api.Limits;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.grpc.GrpcTransport;
import dev.faultline.store.wal.WalOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a node needs to start. Built by {@link ConfigSources} from defaults, a YAML file,
 * {@code FAULTLINE_*} environment variables and command-line flags (later sources win). Each
 * component's option name is its kebab-case form ({@code maxKeyBytes} is {@code max-key-bytes}).
 *
 * <p>{@code peers} lists every voting member including this node; empty means a single-node
 * cluster. A peer without explicit client addresses is assumed to serve HTTP and gRPC on its peer
 * host at this node's own HTTP and gRPC ports.
 *
 * <p>With {@code join}, the node is a new member of a running cluster: it starts with no
 * configuration of its own (it never campaigns) and waits for the leader to add it through a
 * membership change; {@code peers} then lists the current members' addresses, so it can answer
 * them, and need not list this node.
 */
public record NodeConfig(
    String id,
    Path dataDir,
    String httpAddress,
    String grpcAddress,
    String peerAddress,
    List<NodeAddress> peers,
    int shards,
    int maxKeyBytes,
    int maxValueBytes,
    int maxGrpcMessageBytes,
    int maxPeerMessageBytes,
    int peerQueueCapacity,
    long requestTimeoutMs,
    long retryAfterMs,
    long tickMs,
    int electionTicks,
    int heartbeatTicks,
    long snapshotInterval,
    List<String> bugs,
    Path tlsCert,
    Path tlsKey,
    Path tlsCa,
    String tlsClientAuth,
    long tlsReloadMs,
    Path authTokens,
    List<String> authOpenEndpoints,
    int maxRequestHeaderBytes,
    int maxInflightRequests,
    int maxInflightPerConnection,
    boolean insecure,
    boolean allowBugs,
    boolean join,
    long fsyncDelayMicros) {

  /** The endpoints {@code auth-open-endpoints} may name. */
  public static final List<String> OPENABLE_ENDPOINTS =
      List.of("healthz", "readyz", "metrics", "openapi");

  public NodeConfig {
    peers = List.copyOf(peers);
    bugs = List.copyOf(bugs);
    authOpenEndpoints = List.copyOf(authOpenEndpoints);
    NodeBug.parseAll(bugs);
    if (id == null || id.isBlank()) {
      throw new ConfigException("option 'id' is required: pass --id n1 (or set FAULTLINE_ID)");
    }
    check(shards >= 1 && Integer.bitCount(shards) == 1, "shards", shards, "a power of two >= 1");
    check(
        electionTicks > heartbeatTicks,
        "election-ticks",
        electionTicks,
        "more than heartbeat-ticks");
    check(heartbeatTicks >= 1, "heartbeat-ticks", heartbeatTicks, ">= 1");
    check(tickMs >= 1, "tick-ms", tickMs, ">= 1");
    check(
        fsyncDelayMicros >= 0 && fsyncDelayMicros <= 1_000_000,
        "fsync-delay-micros",
        fsyncDelayMicros,
        "between 0 and 1000000");
    check(requestTimeoutMs >= 1, "request-timeout-ms", requestTimeoutMs, ">= 1");
    check(retryAfterMs >= 0, "retry-after-ms", retryAfterMs, ">= 0");
    check(snapshotInterval >= 1, "snapshot-interval", snapshotInterval, ">= 1");
    check(maxKeyBytes >= 1, "max-key-bytes", maxKeyBytes, ">= 1");
    check(maxValueBytes >= 0, "max-value-bytes", maxValueBytes, ">= 0");
    check(
        maxGrpcMessageBytes >= maxValueBytes + maxKeyBytes + 1024,
        "max-grpc-message-bytes",
        maxGrpcMessageBytes,
        ">= max-value-bytes + max-key-bytes + 1024");
    check(maxPeerMessageBytes >= 4096, "max-peer-message-bytes", maxPeerMessageBytes, ">= 4096");
    // Every write must fit one log entry, and one entry one message to a follower; a larger one
    // would stop the node's Raft loop, or never replicate and stall every write after it.
    long largest = largestCommandBytes(maxKeyBytes, maxValueBytes);
    check(
        largest <= MAX_ENTRY_BYTES,
        "max-value-bytes",
        maxValueBytes,
        "at most "
            + (MAX_ENTRY_BYTES - COMMAND_OVERHEAD - maxKeyBytes) / 2
            + " with max-key-bytes "
            + maxKeyBytes
            + " (a compare-and-set carries two values, and it must fit one log entry of "
            + MAX_ENTRY_BYTES
            + " bytes)");
    check(
        maxPeerMessageBytes >= largest + PEER_MESSAGE_OVERHEAD,
        "max-peer-message-bytes",
        maxPeerMessageBytes,
        ">= "
            + (largest + PEER_MESSAGE_OVERHEAD)
            + ", so that a follower can be sent the largest write (a compare-and-set of two"
            + " max-value-bytes values and a max-key-bytes key)");
    check(peerQueueCapacity >= 1, "peer-queue-capacity", peerQueueCapacity, ">= 1");
    int tlsFiles = (tlsCert != null ? 1 : 0) + (tlsKey != null ? 1 : 0) + (tlsCa != null ? 1 : 0);
    if (tlsFiles != 0 && tlsFiles != 3) {
      throw new ConfigException(
          "TLS needs all three of tls-cert, tls-key and tls-ca (PEM files); "
              + (tlsCert == null ? "tls-cert" : tlsKey == null ? "tls-key" : "tls-ca")
              + " is missing");
    }
    check(
        List.of("none", "optional", "require").contains(tlsClientAuth),
        "tls-client-auth",
        tlsClientAuth,
        "one of none, optional, require");
    if (tlsFiles == 0 && !tlsClientAuth.equals("none")) {
      throw new ConfigException(
          "option 'tls-client-auth' is "
              + tlsClientAuth
              + " but TLS is off: set tls-cert,"
              + " tls-key and tls-ca, or leave tls-client-auth at none");
    }
    check(tlsReloadMs >= 0, "tls-reload-ms", tlsReloadMs, ">= 0 (0 = never reload)");
    for (String open : authOpenEndpoints) {
      check(
          OPENABLE_ENDPOINTS.contains(open),
          "auth-open-endpoints",
          open,
          "one of " + String.join(", ", OPENABLE_ENDPOINTS));
    }
    check(
        maxRequestHeaderBytes >= 1024,
        "max-request-header-bytes",
        maxRequestHeaderBytes,
        ">= 1024");
    check(maxInflightRequests >= 1, "max-inflight-requests", maxInflightRequests, ">= 1");
    check(
        maxInflightPerConnection >= 1,
        "max-inflight-per-connection",
        maxInflightPerConnection,
        ">= 1");
    if (join && peers.stream().noneMatch(p -> !p.id().equals(id))) {
      throw new ConfigException(
          "option 'join' needs option 'peers' listing the cluster's current members, e.g."
              + " n1=HOST:PORT,n2=HOST:PORT: the new node must be able to answer them");
    }
    if (!join && !peers.isEmpty() && peers.stream().noneMatch(p -> p.id().equals(id))) {
      throw new ConfigException(
          "option 'peers' does not list this node '"
              + id
              + "': include it, e.g. "
              + id
              + "=HOST:PORT");
    }
    if (peers.stream().map(NodeAddress::id).distinct().count() != peers.size()) {
      throw new ConfigException("option 'peers' names a node twice: give each id once");
    }
  }

  /** The largest log entry a node writes: the write-ahead log refuses larger ones. */
  static final long MAX_ENTRY_BYTES = WalOptions.DEFAULT.maxEntryBytes();

  /** What an encoded command holds besides its key and values (op, session, lengths), and more. */
  static final long COMMAND_OVERHEAD = 1024;

  /** What a message to a peer holds besides one entry: its envelope and AppendEntries fields. */
  public static final int PEER_MESSAGE_OVERHEAD = 4096;

  /** The largest command a client can send: a compare-and-set of two values. */
  static long largestCommandBytes(int maxKeyBytes, int maxValueBytes) {
    return 2L * maxValueBytes + maxKeyBytes + COMMAND_OVERHEAD;
  }

  private static void check(boolean ok, String option, Object value, String rule) {
    if (!ok) {
      throw new ConfigException("option '" + option + "' is " + value + ": it must be " + rule);
    }
  }

  /** The defaults, for node {@code id}. */
  public static NodeConfig defaults(String id) {
    return ConfigSources.fromOptions(java.util.Map.of("id", id));
  }

  /** The deliberate bugs switched on; empty for a correct node. */
  public Set<NodeBug> bugSet() {
    return NodeBug.parseAll(bugs);
  }

  /** Whether the node serves TLS (HTTP, gRPC and mutual TLS between peers). */
  public boolean tlsEnabled() {
    return tlsCert != null;
  }

  /** The edges' limits. */
  public Limits limits() {
    return new Limits(
        maxKeyBytes,
        maxValueBytes,
        maxGrpcMessageBytes,
        Duration.ofMillis(requestTimeoutMs),
        Duration.ofMillis(retryAfterMs));
  }

  /** The Raft transport's options. */
  public GrpcTransport.Options transportOptions() {
    return new GrpcTransport.Options(
        maxPeerMessageBytes,
        peerQueueCapacity,
        Duration.ofMillis(Math.max(10, tickMs / 2)),
        Duration.ofMillis(Math.max(tickMs * electionTicks, 100)),
        Duration.ofSeconds(10));
  }

  /**
   * Peer {@code id}'s addresses, with client addresses filled in when not given: the peer's host
   * with this node's HTTP and gRPC ports.
   */
  public Optional<NodeAddress> peer(String peerId) {
    return peers.stream()
        .filter(p -> p.id().equals(peerId))
        .findFirst()
        .map(
            p ->
                new NodeAddress(
                    p.id(),
                    p.peer(),
                    p.http() != null ? p.http() : withPort(p.peer(), httpAddress),
                    p.grpc() != null ? p.grpc() : withPort(p.peer(), grpcAddress)));
  }

  private static String withPort(String hostOf, String portOf) {
    if (hostOf == null) {
      return null;
    }
    return Addresses.hostPart(hostOf) + ":" + Addresses.port(portOf);
  }
}
