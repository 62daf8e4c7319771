package dev.faultline.api.grpc;

import dev.faultline.api.metrics.NodeMetrics;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Records every call of the services it wraps in {@link NodeMetrics#grpcRequest}: the bare method
 * name ({@code Put}), the final status code ({@code OK}, {@code UNAVAILABLE}, ...) and the time
 * from the call's arrival to its close.
 */
final class GrpcRequestMetrics implements ServerInterceptor {

  private final NodeMetrics metrics;

  GrpcRequestMetrics(NodeMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getBareMethodName();
    ServerCall<Q, A> timed =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            metrics.grpcRequest(
                method == null ? "unknown" : method,
                status.getCode().name(),
                System.nanoTime() - start);
            super.close(status, trailers);
          }
        };
    return next.startCall(timed, headers);
  }
}
