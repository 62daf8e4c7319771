package dev.faultline.api.client;

import com.google.protobuf.ByteString;
import dev.faultline.api.CasOutcome;
import dev.faultline.api.grpc.FaultlineMetadata;
import dev.faultline.api.grpc.kv.CasRequest;
import dev.faultline.api.grpc.kv.CasResponse;
import dev.faultline.api.grpc.kv.DeleteRequest;
import dev.faultline.api.grpc.kv.GetRequest;
import dev.faultline.api.grpc.kv.GetResponse;
import dev.faultline.api.grpc.kv.KvGrpc;
import dev.faultline.api.grpc.kv.PutRequest;
import dev.faultline.api.grpc.kv.Session;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;

/** {@link KvClient} over the {@code faultline.kv.v1.Kv} gRPC service; one channel per node. */
final class GrpcKvClient extends RetryingClient {

  private final Map<String, ManagedChannel> channels;

  GrpcKvClient(KvClientOptions options) {
    this(
        new Shared(options, options.endpoints()), options.callTimeout(), new ConcurrentHashMap<>());
  }

  private GrpcKvClient(Shared shared, Duration callTimeout, Map<String, ManagedChannel> channels) {
    super(shared, callTimeout);
    this.channels = channels;
  }

  @Override
  public KvClient withCallTimeout(Duration timeout) {
    return new GrpcKvClient(shared, timeout, channels);
  }

  private KvGrpc.KvBlockingStub stub(String endpoint, Duration timeout) {
    ManagedChannel channel =
        channels.computeIfAbsent(
            endpoint,
            e -> {
              KvClientOptions o = shared.options;
              NettyChannelBuilder b =
                  o.tls() == null
                      ? NettyChannelBuilder.forTarget(e).usePlaintext()
                      : NettyChannelBuilder.forTarget(e, credentials(o.tls()));
              if (o.token() != null) {
                b.intercept(bearer(o.token()));
              }
              return b.maxInboundMessageSize(64 << 20).build();
            });
    // A node that restarted must be reached again at once, not after the channel's own backoff.
    channel.resetConnectBackoff();
    return KvGrpc.newBlockingStub(channel)
        .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static io.grpc.ChannelCredentials credentials(
      dev.faultline.api.security.TlsCredentials tls) {
    TlsChannelCredentials.Builder b =
        TlsChannelCredentials.newBuilder().trustManager(tls.trustManager());
    if (tls.keyManager() != null) {
      b.keyManager(tls.keyManager());
    }
    return b.build();
  }

  private static ClientInterceptor bearer(String token) {
    Metadata extra = new Metadata();
    extra.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return MetadataUtils.newAttachHeadersInterceptor(extra);
  }

  @Override
  Attempt attempt(String endpoint, Request req, Duration timeout) {
    KvGrpc.KvBlockingStub kv = stub(endpoint, timeout);
    ByteString key = ByteString.copyFrom(req.key());
    Session session =
        Session.newBuilder()
            .setClientId(req.session().clientId())
            .setSeq(req.session().seq())
            .build();
    try {
      return new Attempt.Success(
          switch (req.kind()) {
            case PUT -> {
              kv.put(
                  PutRequest.newBuilder()
                      .setKey(key)
                      .setValue(ByteString.copyFrom(req.value()))
                      .setSession(session)
                      .build());
              yield null;
            }
            case GET -> {
              GetResponse r = kv.get(GetRequest.newBuilder().setKey(key).build());
              yield r.getFound() ? Optional.of(r.getValue().toByteArray()) : Optional.empty();
            }
            case DELETE -> {
              kv.delete(DeleteRequest.newBuilder().setKey(key).setSession(session).build());
              yield null;
            }
            case CAS -> {
              CasRequest.Builder b =
                  CasRequest.newBuilder()
                      .setKey(key)
                      .setValue(ByteString.copyFrom(req.value()))
                      .setSession(session);
              if (req.expected() != null) {
                b.setExpected(ByteString.copyFrom(req.expected()));
              }
              CasResponse r = kv.cas(b.build());
              yield r.getSwapped()
                  ? CasOutcome.SWAPPED
                  : CasOutcome.mismatch(r.hasCurrent() ? r.getCurrent().toByteArray() : null);
            }
          });
    } catch (StatusRuntimeException e) {
      return interpret(endpoint, e);
    }
  }

  private static Attempt interpret(String endpoint, StatusRuntimeException e) {
    Status status = e.getStatus();
    Metadata trailers = e.getTrailers() == null ? new Metadata() : e.getTrailers();
    String outcome = trailers.get(FaultlineMetadata.OUTCOME);
    String message = status.getCode() + ": " + status.getDescription();
    String leader = trailers.get(FaultlineMetadata.LEADER);
    if (leader != null) {
      return new Attempt.Redirect(leader, message);
    }
    if (FaultlineMetadata.FAILED.equals(outcome)) {
      return switch (status.getCode()) {
        case INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED -> new Attempt.Rejected(message);
        default -> new Attempt.Retryable(message);
      };
    }
    if (FaultlineMetadata.UNKNOWN.equals(outcome)) {
      return new Attempt.Unknown(message);
    }
    // No answer from a Faultline node: decide from what the channel saw.
    if (status.getCode() == Status.Code.UNAVAILABLE
        && causedBy(status.getCause(), SSLHandshakeException.class)) {
      // No TLS session, so no request: nothing happened, and retrying will not help.
      return new Attempt.Rejected("TLS handshake with " + endpoint + " failed: " + message);
    }
    if (status.getCode() == Status.Code.UNAVAILABLE && causedByConnect(status.getCause())) {
      return new Attempt.Retryable("cannot connect to " + endpoint + ": " + message);
    }
    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED
        || status.getCode() == Status.Code.INVALID_ARGUMENT
        || status.getCode() == Status.Code.UNIMPLEMENTED) {
      return new Attempt.Rejected(message);
    }
    return new Attempt.Unknown(message + " (from " + endpoint + ")");
  }

  private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
    for (; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean causedByConnect(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow();
    }
    for (ManagedChannel c : channels.values()) {
      try {
        c.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
