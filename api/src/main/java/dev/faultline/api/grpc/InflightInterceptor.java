package dev.faultline.api.grpc;

import dev.faultline.api.security.InflightLimit;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds one slot of the node's {@link InflightLimit} for each call from its start until it closes
 * or is cancelled; without a free slot the call is refused at once with {@code RESOURCE_EXHAUSTED}
 * and {@code faultline-outcome: failed} (nothing was done, so a client may retry).
 */
final class InflightInterceptor implements ServerInterceptor {

  private final InflightLimit limit;

  InflightInterceptor(InflightLimit limit) {
    this.limit = limit;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (!limit.tryAcquire("grpc")) {
      call.close(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "node overloaded: "
                  + limit.max()
                  + " requests in progress (max-inflight-requests); retry after a short wait"),
          AuthInterceptor.failed());
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            limit.release();
          }
        };
    ServerCall<Q, A> releasing =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            try {
              super.close(status, trailers);
            } finally {
              release.run();
            }
          }
        };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(releasing, headers);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          release.run();
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          release.run();
        }
      }
    };
  }
}
