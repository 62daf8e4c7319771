package dev.faultline.api.grpc;

import dev.faultline.api.KvBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.metrics.NodeMetrics;
import dev.faultline.api.security.EdgeSecurity;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node's client-facing gRPC server: {@code faultline.kv.v1.Kv}, the standard health service
 * ({@code grpc.health.v1.Health}, SERVING while the server runs) and server reflection (v1 and
 * v1alpha), with inbound messages bounded by {@link Limits#maxGrpcMessageBytes()}, metadata by the
 * request header limit, concurrent calls per connection and in flight on the node bounded, and, as
 * {@link EdgeSecurity} says, TLS and bearer tokens on every service.
 */
public final class GrpcServer implements AutoCloseable {

  private final KvService kv;
  private final GrpcRequestMetrics requestMetrics;
  private final Limits limits;
  private final EdgeSecurity security;
  private final HealthStatusManager health = new HealthStatusManager();
  private Server server;

  public GrpcServer(KvBackend backend, NodeMetrics metrics, Limits limits) {
    this(backend, metrics, limits, EdgeSecurity.open());
  }

  public GrpcServer(KvBackend backend, NodeMetrics metrics, Limits limits, EdgeSecurity security) {
    this.kv = new KvService(backend, metrics, limits);
    this.requestMetrics = new GrpcRequestMetrics(metrics);
    this.limits = limits;
    this.security = security;
  }

  private ServerCredentials credentials() {
    if (security.tls() == null) {
      return io.grpc.InsecureServerCredentials.create();
    }
    return TlsServerCredentials.newBuilder()
        .keyManager(security.tls().keyManager())
        .trustManager(security.tls().trustManager())
        .clientAuth(
            switch (security.clientAuth()) {
              case NONE -> TlsServerCredentials.ClientAuth.NONE;
              case OPTIONAL -> TlsServerCredentials.ClientAuth.OPTIONAL;
              case REQUIRE -> TlsServerCredentials.ClientAuth.REQUIRE;
            })
        .build();
  }

  /**
   * Wraps a service: the token check runs first, then (for the key-value service, so health probes
   * are never shed) the in-flight bound. The last interceptor listed runs first.
   */
  private ServerServiceDefinition guarded(ServerServiceDefinition service, boolean kvService) {
    List<ServerInterceptor> chain = new ArrayList<>();
    if (kvService) {
      chain.add(new InflightInterceptor(security.inflight()));
    }
    if (security.auth() != null) {
      chain.add(new AuthInterceptor(security.auth(), security.access()));
    }
    if (kvService) {
      chain.add(requestMetrics);
    }
    chain.add(new MetadataLimitInterceptor(security.maxRequestHeaderBytes()));
    return ServerInterceptors.intercept(service, chain);
  }

  /** Listens on {@code host:port} (port 0 picks a free one) and returns the bound port. */
  @SuppressWarnings("deprecation")
  public synchronized int start(String host, int port) {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials())
            // Calls run on the connection's network thread, not on gRPC's default cached pool: a
            // hand-off per call (an executor thread woken, then parked) cost more CPU than the call
            // itself. Safe because nothing here blocks: the interceptors check in memory, the
            // key-value handlers only queue work for the Raft loop and answer from its completion,
            // and health and reflection answer from memory.
            .directExecutor()
            .maxInboundMessageSize(limits.maxGrpcMessageBytes())
            .maxInboundMetadataSize(
                MetadataLimitInterceptor.transportBound(security.maxRequestHeaderBytes()))
            .maxConcurrentCallsPerConnection(security.maxInflightPerConnection())
            .addService(guarded(UndecodableRequests.guard(kv.bindService()), true))
            .addService(guarded(health.getHealthService().bindService(), false))
            .addService(guarded(ProtoReflectionServiceV1.newInstance().bindService(), false))
            .addService(
                guarded(
                    io.grpc.protobuf.services.ProtoReflectionService.newInstance().bindService(),
                    false))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for gRPC on " + host + ":" + port, e);
    }
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus("faultline.kv.v1.Kv", ServingStatus.SERVING);
    return server.getPort();
  }

  public synchronized int port() {
    return server.getPort();
  }

  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
