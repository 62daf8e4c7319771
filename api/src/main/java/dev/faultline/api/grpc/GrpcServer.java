package dev.faultline.api.grpc;

import dev.faultline.api.KvBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.metrics.NodeMetrics;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The node's client-facing gRPC server: {@code faultline.kv.v1.Kv}, the standard health service
 * ({@code grpc.health.v1.Health}, SERVING while the server runs) and server reflection (v1 and
 * v1alpha), with inbound messages bounded by {@link Limits#maxGrpcMessageBytes()}.
 */
public final class GrpcServer implements AutoCloseable {

  private final KvService kv;
  private final GrpcRequestMetrics requestMetrics;
  private final Limits limits;
  private final HealthStatusManager health = new HealthStatusManager();
  private Server server;

  public GrpcServer(KvBackend backend, NodeMetrics metrics, Limits limits) {
    this.kv = new KvService(backend, metrics, limits);
    this.requestMetrics = new GrpcRequestMetrics(metrics);
    this.limits = limits;
  }

  /** Listens on {@code host:port} (port 0 picks a free one) and returns the bound port. */
  @SuppressWarnings("deprecation")
  public synchronized int start(String host, int port) {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .maxInboundMessageSize(limits.maxGrpcMessageBytes())
            .addService(ServerInterceptors.intercept(kv, requestMetrics))
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance())
            .addService(io.grpc.protobuf.services.ProtoReflectionService.newInstance())
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
