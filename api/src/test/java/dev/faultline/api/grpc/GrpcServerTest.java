package dev.faultline.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.faultline.api.FakeBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.grpc.kv.CasRequest;
import dev.faultline.api.grpc.kv.CasResponse;
import dev.faultline.api.grpc.kv.DeleteRequest;
import dev.faultline.api.grpc.kv.GetRequest;
import dev.faultline.api.grpc.kv.GetResponse;
import dev.faultline.api.grpc.kv.KvGrpc;
import dev.faultline.api.grpc.kv.PutRequest;
import dev.faultline.api.grpc.kv.Session;
import dev.faultline.api.metrics.NodeMetrics;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpcServerTest {

  static final Limits LIMITS =
      new Limits(64, 4096, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(1));

  FakeBackend backend;
  NodeMetrics metrics;
  GrpcServer server;
  ManagedChannel channel;
  KvGrpc.KvBlockingStub kv;

  @BeforeEach
  void start() {
    backend = new FakeBackend("n1");
    metrics = new NodeMetrics();
    server = new GrpcServer(backend, metrics, LIMITS);
    int port = server.start("127.0.0.1", 0);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    kv = KvGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    metrics.close();
  }

  static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void putGetDeleteRoundTripBinaryBytes() {
    ByteString key = ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff, '/'});
    ByteString value = ByteString.copyFrom(new byte[] {(byte) 0x80, 0, 7});
    kv.put(PutRequest.newBuilder().setKey(key).setValue(value).build());
    GetResponse got = kv.get(GetRequest.newBuilder().setKey(key).build());
    assertThat(got.getFound()).isTrue();
    assertThat(got.getValue()).isEqualTo(value);
    kv.delete(DeleteRequest.newBuilder().setKey(key).build());
    assertThat(kv.get(GetRequest.newBuilder().setKey(key).build()).getFound()).isFalse();
  }

  @Test
  void casSwapsOnMatchAndReportsCurrentOnMismatch() {
    CasResponse created =
        kv.cas(CasRequest.newBuilder().setKey(bytes("c")).setValue(bytes("one")).build());
    assertThat(created.getSwapped()).isTrue();
    CasResponse again =
        kv.cas(CasRequest.newBuilder().setKey(bytes("c")).setValue(bytes("two")).build());
    assertThat(again.getSwapped()).isFalse();
    assertThat(again.getCurrent()).isEqualTo(bytes("one"));
    CasResponse swapped =
        kv.cas(
            CasRequest.newBuilder()
                .setKey(bytes("c"))
                .setExpected(bytes("one"))
                .setValue(bytes("two"))
                .build());
    assertThat(swapped.getSwapped()).isTrue();
    CasResponse absent =
        kv.cas(
            CasRequest.newBuilder()
                .setKey(bytes("none"))
                .setExpected(bytes("x"))
                .setValue(bytes("y"))
                .build());
    assertThat(absent.getSwapped()).isFalse();
    assertThat(absent.hasCurrent()).isFalse();
  }

  @Test
  void sessionMakesARetriedWriteApplyOnce() {
    PutRequest req =
        PutRequest.newBuilder()
            .setKey(bytes("s"))
            .setValue(bytes("v"))
            .setSession(Session.newBuilder().setClientId(-1L).setSeq(9))
            .build();
    kv.put(req);
    kv.put(req);
    assertThat(backend.writesApplied.get()).isEqualTo(1);
  }

  @Test
  void badInputIsInvalidArgumentWithFailedOutcome() {
    List<Runnable> calls =
        List.of(
            () -> kv.put(PutRequest.newBuilder().setValue(bytes("v")).build()),
            () -> kv.get(GetRequest.newBuilder().setKey(bytes("k".repeat(65))).build()),
            () ->
                kv.put(
                    PutRequest.newBuilder()
                        .setKey(bytes("k"))
                        .setValue(ByteString.copyFrom(new byte[4097]))
                        .build()),
            () -> kv.delete(DeleteRequest.getDefaultInstance()),
            () ->
                kv.cas(
                    CasRequest.newBuilder()
                        .setKey(bytes("k"))
                        .setExpected(ByteString.copyFrom(new byte[4097]))
                        .build()));
    for (Runnable call : calls) {
      StatusRuntimeException e = catchThrowableOfType(call::run, StatusRuntimeException.class);
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getTrailers().get(FaultlineMetadata.OUTCOME)).isEqualTo("failed");
    }
    assertThat(backend.calls.get()).isZero();
  }

  @Test
  void messagesOverTheLimitAreRefused() {
    StatusRuntimeException e =
        catchThrowableOfType(
            () ->
                kv.put(
                    PutRequest.newBuilder()
                        .setKey(bytes("k"))
                        .setValue(ByteString.copyFrom(new byte[(1 << 20) + 1]))
                        .build()),
            StatusRuntimeException.class);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void followerNamesTheLeaderInTrailingMetadata() {
    backend.follow(new NodeAddress("n2", "h2:7070", "h2:8080", "h2:9090"));
    StatusRuntimeException e =
        catchThrowableOfType(
            () -> kv.get(GetRequest.newBuilder().setKey(bytes("k")).build()),
            StatusRuntimeException.class);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getTrailers().get(FaultlineMetadata.LEADER)).isEqualTo("h2:9090");
    assertThat(e.getTrailers().get(FaultlineMetadata.LEADER_ID)).isEqualTo("n2");
    assertThat(e.getTrailers().get(FaultlineMetadata.OUTCOME)).isEqualTo("failed");
  }

  @Test
  void noLeaderIsUnavailableAndUnknownOutcomeIsMarked() {
    backend.mode(FakeBackend.Mode.NO_LEADER);
    StatusRuntimeException none =
        catchThrowableOfType(
            () -> kv.get(GetRequest.newBuilder().setKey(bytes("k")).build()),
            StatusRuntimeException.class);
    assertThat(none.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(none.getTrailers().get(FaultlineMetadata.OUTCOME)).isEqualTo("failed");

    backend.mode(FakeBackend.Mode.UNKNOWN_AFTER_APPLY);
    StatusRuntimeException unknown =
        catchThrowableOfType(
            () -> kv.put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v")).build()),
            StatusRuntimeException.class);
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(unknown.getTrailers().get(FaultlineMetadata.OUTCOME)).isEqualTo("unknown");
  }

  @Test
  void healthServiceAnswersServing() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(
            health
                .check(HealthCheckRequest.newBuilder().setService("faultline.kv.v1.Kv").build())
                .getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void reflectionListsTheKvService() throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    answer.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    requests.onCompleted();
    ServerReflectionResponse response = answer.get(10, TimeUnit.SECONDS);
    assertThat(response.getListServicesResponse().getServiceList())
        .extracting(s -> s.getName())
        .contains("faultline.kv.v1.Kv", "grpc.health.v1.Health");
  }

  /** Bytes on the wire as they are, so a test can send what no stub would. */
  static final io.grpc.MethodDescriptor.Marshaller<byte[]> RAW =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public java.io.InputStream stream(byte[] value) {
          return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };

  @Test
  void undecodableProtobufIsInvalidArgumentWithAFailedOutcome() {
    io.grpc.MethodDescriptor<byte[], byte[]> put =
        io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("faultline.kv.v1.Kv/Put")
            .setRequestMarshaller(RAW)
            .setResponseMarshaller(RAW)
            .build();
    // field 1 (key) as length-delimited, declaring 100 bytes but holding 2: truncated message
    byte[] garbage = {0x0a, 100, 'a', 'b'};
    StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                io.grpc.stub.ClientCalls.blockingUnaryCall(
                    channel,
                    put,
                    io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    garbage));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("undecodable");
    assertThat(e.getTrailers().get(FaultlineMetadata.OUTCOME)).isEqualTo("failed");
    assertThat(backend.calls.get()).isZero();
    // the server goes on serving well-formed calls
    kv.put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v")).build());
    assertThat(kv.get(GetRequest.newBuilder().setKey(bytes("k")).build()).getFound()).isTrue();
  }
}
