package dev.faultline.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.faultline.api.FakeBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.grpc.FaultlineMetadata;
import dev.faultline.api.grpc.GrpcServer;
import dev.faultline.api.grpc.kv.GetRequest;
import dev.faultline.api.grpc.kv.KvGrpc;
import dev.faultline.api.grpc.kv.PutRequest;
import dev.faultline.api.http.HttpApi;
import dev.faultline.api.metrics.NodeMetrics;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bounds enforced before any work: header and body sizes, requests in flight, gRPC messages. */
class EdgeLimitsTest {

  static final Limits LIMITS =
      new Limits(64, 4096, 1 << 20, Duration.ofSeconds(2), Duration.ofSeconds(3));

  final ObjectMapper json = new ObjectMapper();
  final HttpClient client = HttpClient.newHttpClient();
  FakeBackend backend;
  NodeMetrics metrics;
  InflightLimit inflight;
  HttpApi http;
  GrpcServer grpc;
  ManagedChannel channel;
  String base;

  @BeforeEach
  void start() {
    backend = new FakeBackend("n1");
    metrics = new NodeMetrics();
    inflight = new InflightLimit(2, metrics.registry());
    EdgeSecurity security = EdgeSecurity.open().withLimits(inflight, 2048, 8);
    http = new HttpApi(backend, metrics, LIMITS, security);
    grpc = new GrpcServer(backend, metrics, LIMITS, security);
    base = "http://127.0.0.1:" + http.start("127.0.0.1", 0);
    channel =
        NettyChannelBuilder.forTarget("127.0.0.1:" + grpc.start("127.0.0.1", 0))
            .usePlaintext()
            .maxInboundMessageSize(8 << 20)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    http.close();
    grpc.close();
    metrics.close();
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
  }

  HttpResponse<String> get(String path) throws Exception {
    return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void oversizeHeaderGets431AndOversizeBodyGets413AndTheNodeServesOn() throws Exception {
    HttpResponse<String> header =
        client.send(
            request("/v1/kv/k").header("X-Padding", "a".repeat(4096)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(header.statusCode()).isEqualTo(431);
    assertThat(json.readTree(header.body()).path("outcome").asText()).isEqualTo("failed");
    assertThat(json.readTree(header.body()).path("error").asText())
        .contains("request headers too large")
        .contains("max-request-header-bytes");

    HttpResponse<String> body =
        client.send(
            request("/v1/kv/k").PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[5000])).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(body.statusCode()).isEqualTo(413);
    assertThat(json.readTree(body.body()).path("outcome").asText()).isEqualTo("failed");
    assertThat(backend.calls.get()).isZero();

    assertThat(
            client
                .send(
                    request("/v1/kv/k").PUT(HttpRequest.BodyPublishers.ofString("ok")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(204);
  }

  @Test
  void tooManyRequestsInFlightGet429AndResourceExhaustedWhileProbesAndLaterClientsAreServed()
      throws Exception {
    backend.mode(FakeBackend.Mode.NEVER_ANSWERS);
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(
          client.sendAsync(
              request("/v1/kv/held").GET().build(), HttpResponse.BodyHandlers.ofString()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> inflight.inUse() == 2);

    HttpResponse<String> refused = get("/v1/kv/other");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).contains("3");
    assertThat(json.readTree(refused.body()).path("outcome").asText()).isEqualTo("failed");

    KvGrpc.KvBlockingStub stub =
        KvGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    try {
      stub.get(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8("other")).build());
      throw new AssertionError("a call beyond the in-flight bound was served");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getTrailers().get(FaultlineMetadata.OUTCOME)).isEqualTo("failed");
    }
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(metrics.scrape()).contains("overload_rejections_total{edge=\"http\"} 1.0");

    backend.mode(FakeBackend.Mode.LEADER);
    for (CompletableFuture<HttpResponse<String>> h : held) {
      assertThat(h.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(504); // request timeout
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> inflight.inUse() == 0);
    assertThat(get("/v1/kv/other").statusCode()).isEqualTo(404); // served: the key is absent
    assertThat(
            stub.get(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8("other")).build())
                .getFound())
        .isFalse();
  }

  @Test
  void grpcMetadataOverTheHeaderLimitIsRefusedBeforeTheService() {
    io.grpc.Metadata big = new io.grpc.Metadata();
    big.put(
        io.grpc.Metadata.Key.of("x-padding", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
        "a".repeat(4096));
    KvGrpc.KvBlockingStub stub =
        KvGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(big));
    try {
      stub.get(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
      throw new AssertionError("oversize metadata was accepted");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(e.getStatus().getDescription()).contains("max-request-header-bytes 2048");
      assertThat(e.getTrailers().get(FaultlineMetadata.OUTCOME)).isEqualTo("failed");
    }
    assertThat(backend.calls.get()).isZero();
  }

  @Test
  void grpcMessagesOverTheLimitAreRefused() {
    KvGrpc.KvBlockingStub stub =
        KvGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    try {
      stub.put(
          PutRequest.newBuilder()
              .setKey(ByteString.copyFromUtf8("k"))
              .setValue(ByteString.copyFrom(new byte[LIMITS.maxGrpcMessageBytes() + 1]))
              .build());
      throw new AssertionError("an oversize message was accepted");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }
    assertThat(backend.calls.get()).isZero();
    assertThat(inflight.inUse()).isZero();
  }
}
