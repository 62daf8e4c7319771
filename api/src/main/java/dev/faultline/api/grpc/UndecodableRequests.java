package dev.faultline.api.grpc;

import dev.faultline.api.RefusalLog;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import org.slf4j.LoggerFactory;

/**
 * Answers a request message that does not decode as the method's protobuf type with {@code
 * INVALID_ARGUMENT} and {@code faultline-outcome: failed} (left to grpc-java, a parse failure
 * closes the call as {@code UNKNOWN} with no outcome, as if the node had failed).
 */
final class UndecodableRequests {

  private static final RefusalLog REFUSALS =
      new RefusalLog(LoggerFactory.getLogger(UndecodableRequests.class), 10);

  private UndecodableRequests() {}

  /** {@code service} with every method's request parsing guarded. */
  static ServerServiceDefinition guard(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    java.util.List<ServerMethodDefinition<?, ?>> methods = new java.util.ArrayList<>();
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      ServerMethodDefinition<?, ?> guarded = guard(m);
      descriptor.addMethod(guarded.getMethodDescriptor());
      methods.add(guarded);
    }
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    for (ServerMethodDefinition<?, ?> m : methods) {
      out.addMethod(m);
    }
    return out.build();
  }

  private static <Q, A> ServerMethodDefinition<Q, A> guard(ServerMethodDefinition<Q, A> m) {
    MethodDescriptor<Q, A> md = m.getMethodDescriptor();
    MethodDescriptor.Marshaller<Q> inner = md.getRequestMarshaller();
    MethodDescriptor.Marshaller<Q> lenient =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(Q value) {
            return inner.stream(value);
          }

          @Override
          public Q parse(InputStream stream) {
            try {
              return inner.parse(stream);
            } catch (RuntimeException e) {
              return null; // answered by the handler below
            }
          }
        };
    MethodDescriptor<Q, A> guarded = md.toBuilder(lenient, md.getResponseMarshaller()).build();
    ServerCallHandler<Q, A> handler = m.getServerCallHandler();
    return ServerMethodDefinition.create(
        guarded, (call, headers) -> refuseNull(call, headers, handler));
  }

  private static <Q, A> ServerCall.Listener<Q> refuseNull(
      ServerCall<Q, A> call, io.grpc.Metadata headers, ServerCallHandler<Q, A> handler) {
    ServerCall.Listener<Q> listener = handler.startCall(call, headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        if (message == null) {
          refused = true;
          String method = call.getMethodDescriptor().getFullMethodName();
          String why =
              "request message is not a valid "
                  + call.getMethodDescriptor().getBareMethodName()
                  + " request (undecodable protobuf): send the message kv.proto defines";
          REFUSALS.refused("grpc", method, why);
          call.close(Status.INVALID_ARGUMENT.withDescription(why), AuthInterceptor.failed());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }
    };
  }
}
