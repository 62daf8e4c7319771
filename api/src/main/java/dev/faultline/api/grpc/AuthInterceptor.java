package dev.faultline.api.grpc;

import dev.faultline.api.security.Access;
import dev.faultline.api.security.Authenticator;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Refuses a call whose {@code authorization: Bearer TOKEN} metadata does not grant the role its
 * method needs ({@link Access#grpc}): {@code UNAUTHENTICATED} without a valid token, {@code
 * PERMISSION_DENIED} with a token of too weak a role, both with {@code faultline-outcome: failed}.
 * The service never sees a refused call.
 */
final class AuthInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Authenticator auth;
  private final Access access;

  AuthInterceptor(Authenticator auth, Access access) {
    this.auth = auth;
    this.access = access;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Authenticator.Verdict v =
        auth.check(headers.get(AUTHORIZATION), access.grpc(method), "gRPC " + method);
    if (v instanceof Authenticator.Verdict.Denied d) {
      Status status =
          d.reason() == Authenticator.Reason.FORBIDDEN
              ? Status.PERMISSION_DENIED
              : Status.UNAUTHENTICATED;
      call.close(status.withDescription(d.message()), failed());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  static Metadata failed() {
    Metadata m = new Metadata();
    m.put(FaultlineMetadata.OUTCOME, FaultlineMetadata.FAILED);
    return m;
  }
}
