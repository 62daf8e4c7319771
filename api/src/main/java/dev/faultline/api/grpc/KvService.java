package dev.faultline.api.grpc;

import com.google.protobuf.ByteString;
import dev.faultline.api.BackendFailure;
import dev.faultline.api.CasOutcome;
import dev.faultline.api.FailureKind;
import dev.faultline.api.KvBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.Session;
import dev.faultline.api.grpc.kv.CasRequest;
import dev.faultline.api.grpc.kv.CasResponse;
import dev.faultline.api.grpc.kv.DeleteRequest;
import dev.faultline.api.grpc.kv.DeleteResponse;
import dev.faultline.api.grpc.kv.GetRequest;
import dev.faultline.api.grpc.kv.GetResponse;
import dev.faultline.api.grpc.kv.KvGrpc;
import dev.faultline.api.grpc.kv.PutRequest;
import dev.faultline.api.grpc.kv.PutResponse;
import dev.faultline.api.metrics.NodeMetrics;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.util.internal.ThreadExecutorMap;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code faultline.kv.v1.Kv} service over a {@link KvBackend}. Input is checked before the
 * backend sees it; every error carries {@code faultline-outcome} (see {@link FaultlineMetadata}).
 */
final class KvService extends KvGrpc.KvImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(KvService.class);

  private final KvBackend backend;
  private final NodeMetrics metrics;
  private final Limits limits;

  KvService(KvBackend backend, NodeMetrics metrics, Limits limits) {
    this.backend = backend;
    this.metrics = metrics;
    this.limits = limits;
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> out) {
    run(
        "put",
        false,
        out,
        () -> {
          byte[] key = key(req.getKey());
          byte[] value = value(req.getValue(), "value");
          return backend.put(key, value, session(req.getSession()), network());
        },
        v -> PutResponse.getDefaultInstance());
  }

  @Override
  public void get(GetRequest req, StreamObserver<GetResponse> out) {
    run(
        "get",
        true,
        out,
        () -> {
          Executor network = network();
          byte[] key = key(req.getKey());
          return network == null ? backend.get(key) : backend.get(key, network);
        },
        value ->
            value
                .map(v -> GetResponse.newBuilder().setFound(true).setValue(ByteString.copyFrom(v)))
                .orElse(GetResponse.newBuilder().setFound(false))
                .build());
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    run(
        "delete",
        false,
        out,
        () -> backend.delete(key(req.getKey()), session(req.getSession()), network()),
        v -> DeleteResponse.getDefaultInstance());
  }

  @Override
  public void cas(CasRequest req, StreamObserver<CasResponse> out) {
    run(
        "cas",
        false,
        out,
        () -> {
          byte[] key = key(req.getKey());
          byte[] expected = req.hasExpected() ? value(req.getExpected(), "expected") : null;
          byte[] value = value(req.getValue(), "value");
          return backend.cas(key, expected, value, session(req.getSession()), network());
        },
        KvService::casResponse);
  }

  /**
   * The connection's network thread, where this call runs under the server's {@code
   * directExecutor()}, or null elsewhere. An answer handed straight to it from the Raft loop takes
   * one hand-off instead of two (a reply thread, then this thread to write). A null hint lets the
   * backend use its reply threads.
   */
  private static Executor network() {
    return ThreadExecutorMap.currentExecutor();
  }

  private static CasResponse casResponse(CasOutcome outcome) {
    CasResponse.Builder b = CasResponse.newBuilder().setSwapped(outcome.swapped());
    if (outcome.current() != null) {
      b.setCurrent(ByteString.copyFrom(outcome.current()));
    }
    return b.build();
  }

  private <T, R> void run(
      String op,
      boolean read,
      StreamObserver<R> out,
      Supplier<CompletableFuture<T>> call,
      Function<T, R> response) {
    long start = System.nanoTime();
    CompletableFuture<T> future;
    try {
      future = call.get().copy();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    metrics.requestStage("grpc", op, "in", System.nanoTime() - start);
    future
        .orTimeout(limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (value, err) -> {
              long answering = System.nanoTime();
              String outcome;
              try {
                if (err == null) {
                  out.onNext(response.apply(value));
                  out.onCompleted();
                  outcome = "ok";
                } else {
                  StatusRuntimeException status = status(FailureKind.unwrap(err), read);
                  outcome = status.getTrailers().get(FaultlineMetadata.OUTCOME);
                  out.onError(status);
                }
              } catch (RuntimeException e) {
                // The call was cancelled by the client meanwhile; nothing is left to answer.
                outcome = read ? FaultlineMetadata.FAILED : FaultlineMetadata.UNKNOWN;
              }
              long now = System.nanoTime();
              metrics.requestStage("grpc", op, "out", now - answering);
              metrics.kvOperation(op, outcome, now - start);
            });
  }

  private StatusRuntimeException status(Throwable err, boolean read) {
    if (err instanceof StatusRuntimeException invalid) {
      return invalid;
    }
    FailureKind kind = FailureKind.of(err);
    Metadata trailers = trailers(kind.definite(read));
    return switch (kind) {
      case NOT_LEADER -> {
        NodeAddress leader = ((BackendFailure.NotLeader) err).leader();
        if (leader == null || leader.grpc() == null) {
          yield Status.UNAVAILABLE.withDescription(err.getMessage()).asRuntimeException(trailers);
        }
        trailers.put(FaultlineMetadata.LEADER, leader.grpc());
        trailers.put(FaultlineMetadata.LEADER_ID, leader.id());
        yield Status.FAILED_PRECONDITION
            .withDescription(err.getMessage())
            .asRuntimeException(trailers);
      }
      case UNAVAILABLE ->
          Status.UNAVAILABLE.withDescription(err.getMessage()).asRuntimeException(trailers);
      case REJECTED ->
          Status.INVALID_ARGUMENT.withDescription(err.getMessage()).asRuntimeException(trailers);
      case OUTCOME_UNKNOWN ->
          Status.UNKNOWN.withDescription(err.getMessage()).asRuntimeException(trailers);
      case TIMED_OUT ->
          Status.DEADLINE_EXCEEDED
              .withDescription("no answer within " + limits.requestTimeout().toMillis() + " ms")
              .asRuntimeException(trailers);
      case INTERNAL -> {
        LOG.error("backend failed unexpectedly", err);
        yield Status.INTERNAL
            .withDescription("internal error: " + err)
            .asRuntimeException(trailers);
      }
    };
  }

  private static Metadata trailers(boolean definite) {
    Metadata m = new Metadata();
    m.put(
        FaultlineMetadata.OUTCOME, definite ? FaultlineMetadata.FAILED : FaultlineMetadata.UNKNOWN);
    return m;
  }

  private byte[] key(ByteString key) {
    if (key.isEmpty()) {
      throw invalid("empty key: send a key of 1 to " + limits.maxKeyBytes() + " bytes");
    }
    if (key.size() > limits.maxKeyBytes()) {
      throw invalid(
          "key of "
              + key.size()
              + " bytes exceeds max-key-bytes "
              + limits.maxKeyBytes()
              + ": use a shorter key");
    }
    return key.toByteArray();
  }

  private byte[] value(ByteString value, String what) {
    if (value.size() > limits.maxValueBytes()) {
      throw invalid(
          what
              + " of "
              + value.size()
              + " bytes exceeds max-value-bytes "
              + limits.maxValueBytes());
    }
    return value.toByteArray();
  }

  private static Session session(dev.faultline.api.grpc.kv.Session s) {
    if (s.getClientId() == 0) {
      return Session.NONE;
    }
    return new Session(s.getClientId(), s.getSeq());
  }

  private static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException(trailers(true));
  }
}
