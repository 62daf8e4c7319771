package dev.faultline.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.faultline.api.FakeBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.client.KvException;
import dev.faultline.api.client.KvFailedException;
import dev.faultline.api.config.NodeConfig;
import dev.faultline.api.grpc.kv.GetRequest;
import dev.faultline.api.grpc.kv.KvGrpc;
import dev.faultline.api.grpc.kv.PutRequest;
import dev.faultline.api.http.HttpApi;
import dev.faultline.api.metrics.NodeMetrics;
import dev.faultline.api.node.ClientEdges;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client edges with TLS and bearer tokens: who gets in, who gets 401 / 403, what is counted.
 */
class SecureEdgesTest {

  @TempDir Path dir;
  final ObjectMapper json = new ObjectMapper();
  final List<AutoCloseable> open = new ArrayList<>();
  TestPki pki;
  NodeMetrics metrics;
  ClientEdges edges;

  void start(Map<String, Object> extra) {
    pki = new TestPki(dir, "n1");
    NodeConfig config = pki.config("n1", extra);
    metrics = new NodeMetrics();
    edges = ClientEdges.start(config, new FakeBackend("n1"), metrics);
    open.add(edges);
    open.add(metrics);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  String https() {
    return "https://127.0.0.1:" + edges.httpPort();
  }

  HttpResponse<String> send(HttpClient client, String method, String path, String token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(https() + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                method.equals("PUT")
                    ? HttpRequest.BodyPublishers.ofString("v")
                    : HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpClient trusting() {
    return HttpClient.newBuilder().sslContext(pki.trustOnly().sslContext()).build();
  }

  double failures(String reason) {
    return metrics.registry().get("auth.failures").tag("reason", reason).counter().count();
  }

  @Test
  void clientsWithTheCaAndATokenReadAndWriteOverHttpsAndGrpc() {
    start(Map.of());
    for (boolean grpc : new boolean[] {false, true}) {
      String endpoint = "127.0.0.1:" + (grpc ? edges.grpcPort() : edges.httpPort());
      KvClientOptions o =
          KvClientOptions.of(List.of(endpoint))
              .withTls(pki.trustOnly())
              .withToken(pki.pki.writeToken());
      try (KvClient kv = grpc ? KvClient.grpc(o) : KvClient.http(o)) {
        kv.put("k-" + grpc, "v");
        assertThat(kv.get("k-" + grpc)).contains("v");
      }
    }
  }

  @Test
  void plaintextClientsAgainstATlsNodeFailAndTheNodeKeepsServing() throws Exception {
    start(Map.of());
    HttpClient plain = HttpClient.newHttpClient();
    assertThatThrownBy(
            () ->
                plain.send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + edges.httpPort() + "/healthz"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    KvClientOptions plainGrpc =
        KvClientOptions.of(List.of("127.0.0.1:" + edges.grpcPort()))
            .withToken(pki.pki.readToken())
            .withMaxAttempts(2)
            .withTotalTimeout(Duration.ofSeconds(5));
    try (KvClient kv = KvClient.grpc(plainGrpc)) {
      assertThatThrownBy(() -> kv.get("k")).isInstanceOf(KvException.class);
    }
    // A client that does not trust this CA is refused by the handshake.
    HttpClient untrusting = HttpClient.newHttpClient();
    assertThatThrownBy(() -> send(untrusting, "GET", "/healthz", null))
        .isInstanceOf(IOException.class);
    assertThat(send(trusting(), "GET", "/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void javaClientsThatDoNotTrustTheCaFailDefinitelyAtOnce() {
    start(Map.of());
    TlsCredentials stranger =
        TlsCredentials.of(
            new TlsMaterial(
                List.of(),
                null,
                List.of(
                    CertificateAuthority.create("stranger", Duration.ofDays(1)).certificate())));
    for (boolean grpc : new boolean[] {false, true}) {
      String endpoint = "127.0.0.1:" + (grpc ? edges.grpcPort() : edges.httpPort());
      // A call that times out is an unknown outcome, not a definite failure: the timeouts are
      // generous so that a slow first handshake on a loaded machine is not cut short.
      KvClientOptions o =
          KvClientOptions.of(List.of(endpoint))
              .withTls(stranger)
              .withToken(pki.pki.writeToken())
              .withCallTimeout(Duration.ofSeconds(30))
              .withTotalTimeout(Duration.ofSeconds(30));
      try (KvClient kv = grpc ? KvClient.grpc(o) : KvClient.http(o)) {
        assertThatThrownBy(() -> kv.put("k", "v"))
            .as(grpc ? "gRPC" : "HTTP")
            .isInstanceOf(KvFailedException.class)
            .hasMessageContaining("TLS handshake");
      }
    }
  }

  @Test
  void tokensDecideWhoMayReadAndWriteAndRefusalsAreCounted() throws Exception {
    start(Map.of());
    HttpClient c = trusting();
    ClusterPki p = pki.pki;

    HttpResponse<String> none = send(c, "GET", "/v1/kv/k", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    JsonNode body = json.readTree(none.body());
    assertThat(body.path("outcome").asText()).isEqualTo("failed");
    assertThat(body.path("error").asText()).contains("bearer token");

    assertThat(send(c, "GET", "/v1/kv/k", "not-a-token-of-this-node").statusCode()).isEqualTo(401);
    HttpResponse<String> readOnlyWrite = send(c, "PUT", "/v1/kv/k", p.readToken());
    assertThat(readOnlyWrite.statusCode()).isEqualTo(403);
    assertThat(json.readTree(readOnlyWrite.body()).path("outcome").asText()).isEqualTo("failed");
    assertThat(send(c, "PUT", "/v1/kv/k", p.writeToken()).statusCode()).isEqualTo(204);
    assertThat(send(c, "GET", "/v1/kv/k", p.readToken()).statusCode()).isEqualTo(200);
    assertThat(send(c, "GET", "/v1/cluster", p.adminToken()).statusCode()).isEqualTo(200);
    // Unknown routes ask for a token first, so anonymous callers learn nothing.
    assertThat(send(c, "GET", "/nowhere", null).statusCode()).isEqualTo(401);
    // Health, readiness and metrics are open by default.
    assertThat(send(c, "GET", "/healthz", null).statusCode()).isEqualTo(200);
    assertThat(send(c, "GET", "/metrics", null).statusCode()).isEqualTo(200);

    assertThat(failures("missing")).isEqualTo(2);
    assertThat(failures("invalid")).isEqualTo(1);
    assertThat(failures("forbidden")).isEqualTo(1);
    assertThat(send(c, "GET", "/metrics", null).body())
        .contains("auth_failures_total{reason=\"forbidden\"} 1.0");
  }

  @Test
  void protectedHealthAndMetricsNeedAToken() throws Exception {
    start(Map.of("auth-open-endpoints", List.of("healthz")));
    HttpClient c = trusting();
    assertThat(send(c, "GET", "/healthz", null).statusCode()).isEqualTo(200);
    assertThat(send(c, "GET", "/metrics", null).statusCode()).isEqualTo(401);
    assertThat(send(c, "GET", "/readyz", null).statusCode()).isEqualTo(401);
    assertThat(send(c, "GET", "/metrics", pki.pki.readToken()).statusCode()).isEqualTo(200);
  }

  @Test
  void grpcRefusesMissingWrongAndTooWeakTokens() throws Exception {
    start(Map.of());
    ClusterPki p = pki.pki;
    TlsCredentials trust = pki.trustOnly();
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(
                "127.0.0.1:" + edges.grpcPort(),
                TlsChannelCredentials.newBuilder().trustManager(trust.trustManager()).build())
            .build();
    try {
      KvGrpc.KvBlockingStub stub =
          KvGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      GetRequest get = GetRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build();
      PutRequest put =
          PutRequest.newBuilder()
              .setKey(ByteString.copyFromUtf8("k"))
              .setValue(ByteString.copyFromUtf8("v"))
              .build();
      assertThat(code(() -> stub.get(get))).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(code(() -> withToken(stub, "wrong-token-0123456789").get(get)))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(code(() -> withToken(stub, p.readToken()).put(put)))
          .isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(code(() -> withToken(stub, p.writeToken()).put(put))).isEqualTo(Status.Code.OK);
      assertThat(withToken(stub, p.readToken()).get(get).getFound()).isTrue();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(failures("missing")).isEqualTo(1);
    assertThat(failures("invalid")).isEqualTo(1);
    assertThat(failures("forbidden")).isEqualTo(1);

    // The Java client fails at once (no retries) on a token too weak for the call.
    // Generous timeouts: a first attempt cut short by a slow handshake makes the outcome unknown.
    KvClientOptions readOnly =
        KvClientOptions.of(List.of("127.0.0.1:" + edges.grpcPort()))
            .withTls(trust)
            .withToken(p.readToken())
            .withCallTimeout(Duration.ofSeconds(30))
            .withTotalTimeout(Duration.ofSeconds(30));
    try (KvClient kv = KvClient.grpc(readOnly)) {
      assertThatThrownBy(() -> kv.put("k", "w"))
          .isInstanceOf(KvFailedException.class)
          .hasMessageContaining("PERMISSION_DENIED");
    }
    assertThat(failures("forbidden")).isEqualTo(2);
  }

  @Test
  void requiredClientCertificatesKeepOutClientsWithoutOne() throws Exception {
    start(Map.of("tls-client-auth", "require"));
    // One attempt, so the put proves the certificate is accepted rather than retried into; the
    // attempt may take long: on a loaded machine the first mutual-TLS handshake alone took over
    // the default 2 s call timeout (which bounds the connection and its handshake).
    KvClientOptions base =
        KvClientOptions.of(List.of("127.0.0.1:" + edges.httpPort()))
            .withToken(pki.pki.writeToken())
            .withMaxAttempts(1)
            .withCallTimeout(Duration.ofSeconds(30))
            .withTotalTimeout(Duration.ofSeconds(30));
    try (KvClient withCert = KvClient.http(base.withTls(pki.pki.clientCredentials()))) {
      withCert.put("k", "v");
    }
    assertThatThrownBy(() -> send(trusting(), "GET", "/healthz", null))
        .isInstanceOf(IOException.class);
  }

  @Test
  void renewedCertificateIsServedToNewConnectionsWithoutARestart() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("live-ca", Duration.ofDays(1));
    TlsFiles files =
        new TlsFiles(dir.resolve("n1.pem"), dir.resolve("n1-key.pem"), dir.resolve("ca.pem"));
    Pem.write(files.ca(), List.of(ca.certificate()));
    CertificateAuthority.Issued first = issueInto(ca, files, 0);
    metrics = new NodeMetrics();
    open.add(metrics);
    TlsCredentials tls = TlsCredentials.load(files);
    open.add(tls);
    HttpApi api =
        new HttpApi(
            new FakeBackend("n1"),
            metrics,
            Limits.DEFAULTS,
            EdgeSecurity.open().withTls(tls, ClientAuth.NONE));
    open.add(api);
    String url = "https://127.0.0.1:" + api.start("127.0.0.1", 0) + "/healthz";
    TlsCredentials trust =
        TlsCredentials.of(new TlsMaterial(List.of(), null, List.of(ca.certificate())));
    assertThat(servedCertificate(trust, url)).isEqualTo(first.certificate());

    CertificateAuthority.Issued second = issueInto(ca, files, 10_000);
    assertThat(tls.reloadIfChanged()).isTrue();
    assertThat(servedCertificate(trust, url)).isEqualTo(second.certificate());
  }

  static CertificateAuthority.Issued issueInto(
      CertificateAuthority ca, TlsFiles files, long aheadMillis) throws IOException {
    CertificateAuthority.Issued i =
        ca.issue(CertificateAuthority.Request.node("n1", List.of("127.0.0.1"), Duration.ofDays(1)));
    Pem.write(files.cert(), List.of(i.certificate()));
    Pem.write(files.key(), i.key());
    FileTime t = FileTime.fromMillis(System.currentTimeMillis() + aheadMillis);
    java.nio.file.Files.setLastModifiedTime(files.cert(), t);
    java.nio.file.Files.setLastModifiedTime(files.key(), t);
    return i;
  }

  /** The certificate a fresh connection is shown. */
  static Certificate servedCertificate(TlsCredentials trust, String url) throws Exception {
    HttpClient fresh = HttpClient.newBuilder().sslContext(trust.sslContext()).build();
    HttpResponse<String> r =
        fresh.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.sslSession().orElseThrow().getPeerCertificates()[0];
  }

  static Status.Code code(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  static KvGrpc.KvBlockingStub withToken(KvGrpc.KvBlockingStub stub, String token) {
    Metadata m = new Metadata();
    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
  }
}
