package dev.faultline.api.node;

import dev.faultline.api.KvBackend;
import dev.faultline.api.MembershipAdmin;
import dev.faultline.api.config.Addresses;
import dev.faultline.api.config.NodeConfig;
import dev.faultline.api.grpc.GrpcServer;
import dev.faultline.api.grpc.GrpcTransport;
import dev.faultline.api.http.HttpApi;
import dev.faultline.api.metrics.NodeMetrics;
import dev.faultline.api.security.EdgeSecurity;
import dev.faultline.api.security.TlsCredentials;
import dev.faultline.api.security.TlsFiles;

/**
 * A node's client-facing servers, HTTP and gRPC, started together on the configured addresses over
 * one {@link KvBackend}; closing stops both.
 */
public final class ClientEdges implements AutoCloseable {

  private final HttpApi http;
  private final GrpcServer grpc;
  private final int httpPort;
  private final int grpcPort;

  private ClientEdges(HttpApi http, GrpcServer grpc, int httpPort, int grpcPort) {
    this.http = http;
    this.grpc = grpc;
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
  }

  /**
   * Starts HTTP on {@code config.httpAddress()} and gRPC on {@code config.grpcAddress()}, with the
   * TLS material (loaded here when TLS is on), tokens and limits {@code config} names.
   */
  public static ClientEdges start(NodeConfig config, KvBackend backend, NodeMetrics metrics) {
    return start(config, backend, metrics, tls(config));
  }

  /** As {@link #start(NodeConfig, KvBackend, NodeMetrics)}, with TLS credentials already loaded. */
  public static ClientEdges start(
      NodeConfig config, KvBackend backend, NodeMetrics metrics, TlsCredentials tls) {
    return start(config, backend, null, metrics, tls);
  }

  /** As above, with the membership admin endpoints over {@code admin} (null: none). */
  public static ClientEdges start(
      NodeConfig config,
      KvBackend backend,
      MembershipAdmin admin,
      NodeMetrics metrics,
      TlsCredentials tls) {
    EdgeSecurity security = EdgeSecurity.from(config, tls, metrics.registry());
    HttpApi http = new HttpApi(backend, admin, metrics, config.limits(), security);
    GrpcServer grpc = new GrpcServer(backend, metrics, config.limits(), security);
    try {
      int httpPort =
          http.start(Addresses.host(config.httpAddress()), Addresses.port(config.httpAddress()));
      int grpcPort =
          grpc.start(Addresses.host(config.grpcAddress()), Addresses.port(config.grpcAddress()));
      return new ClientEdges(http, grpc, httpPort, grpcPort);
    } catch (RuntimeException e) {
      http.close();
      grpc.close();
      throw e;
    }
  }

  /** The node's TLS credentials from the files {@code config} names; null when TLS is off. */
  public static TlsCredentials tls(NodeConfig config) {
    return config.tlsEnabled()
        ? TlsCredentials.load(new TlsFiles(config.tlsCert(), config.tlsKey(), config.tlsCa()))
        : null;
  }

  /** The Raft transport for {@code config}: listening on its peer address, linked to its peers. */
  public static GrpcTransport transport(NodeConfig config) {
    return transport(config, tls(config));
  }

  /** As {@link #transport(NodeConfig)}, over mutual TLS with {@code tls} (null: plaintext). */
  public static GrpcTransport transport(NodeConfig config, TlsCredentials tls) {
    GrpcTransport transport =
        new GrpcTransport(
            config.id(),
            Addresses.host(config.peerAddress()),
            Addresses.port(config.peerAddress()),
            config.transportOptions(),
            tls);
    config.peers().forEach(p -> transport.addPeer(p.id(), p.peer()));
    return transport;
  }

  public int httpPort() {
    return httpPort;
  }

  public int grpcPort() {
    return grpcPort;
  }

  @Override
  public void close() {
    try {
      http.close();
    } finally {
      grpc.close();
    }
  }
}
