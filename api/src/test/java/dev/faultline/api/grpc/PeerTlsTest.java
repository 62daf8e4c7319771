package dev.faultline.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.faultline.api.grpc.raft.DeliverAck;
import dev.faultline.api.grpc.raft.Envelope;
import dev.faultline.api.grpc.raft.RaftTransportGrpc;
import dev.faultline.api.security.CertificateAuthority;
import dev.faultline.api.security.TlsCredentials;
import dev.faultline.api.security.TlsMaterial;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mutual TLS between peers: only certificates of the cluster's CA naming a member get through. */
class PeerTlsTest {

  static final GrpcTransport.Options OPTIONS =
      new GrpcTransport.Options(
          64 * 1024, 64, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(10));
  static final CertificateAuthority CA = CertificateAuthority.create("test-ca", Duration.ofDays(1));
  static final CertificateAuthority OTHER_CA =
      CertificateAuthority.create("other-ca", Duration.ofDays(1));

  final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  final List<String> atN1 = new CopyOnWriteArrayList<>();
  GrpcTransport n1;

  static TlsCredentials credentials(CertificateAuthority issuer, CertificateAuthority.Request r) {
    CertificateAuthority.Issued i = issuer.issue(r);
    return TlsCredentials.of(
        new TlsMaterial(List.of(i.certificate()), i.key(), List.of(CA.certificate())));
  }

  static CertificateAuthority.Request node(String id) {
    return CertificateAuthority.Request.node(id, List.of("127.0.0.1"), Duration.ofDays(1));
  }

  GrpcTransport transport(String id, TlsCredentials tls) {
    GrpcTransport t = new GrpcTransport(id, "127.0.0.1", 0, OPTIONS, tls);
    open.add(t);
    return t;
  }

  @BeforeEach
  void startN1() {
    n1 = transport("n1", credentials(CA, node("n1")));
    n1.addPeer("n2", "127.0.0.1:1"); // a member; where it listens does not matter here
    n1.addPeer("n3", "127.0.0.1:1");
    n1.start((from, bytes) -> atN1.add(from + ":" + new String(bytes, StandardCharsets.UTF_8)));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** Starts {@code t} towards n1 and sends {@code text} a few times. */
  void sendToN1(GrpcTransport t, String text) {
    t.addPeer("n1", "127.0.0.1:" + n1.port());
    t.start((from, bytes) -> {});
    for (int i = 0; i < 5; i++) {
      t.send("n1", text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void memberWithCertificateOfTheClusterCaDelivers() {
    GrpcTransport n2 = transport("n2", credentials(CA, node("n2")));
    sendToN1(n2, "hello");
    await().atMost(Duration.ofSeconds(10)).until(() -> atN1.contains("n2:hello"));
  }

  @Test
  void certificateNamingNoMemberIsRefusedAndNothingIsDelivered() {
    GrpcTransport stranger = transport("n9", credentials(CA, node("n9")));
    sendToN1(stranger, "evil");
    await().atMost(Duration.ofSeconds(10)).until(() -> n1.refusedPeers() >= 2);
    assertThat(atN1).isEmpty();
  }

  @Test
  void certificateFromAnotherCaNeverCompletesTheHandshake() {
    GrpcTransport forged = transport("n2", credentials(OTHER_CA, node("n2")));
    sendToN1(forged, "evil");
    await().atMost(Duration.ofSeconds(10)).until(() -> forged.connectAttempts("n1") >= 3);
    assertThat(atN1).isEmpty();
    assertThat(n1.refusedPeers()).isZero(); // refused by the handshake, before any call
  }

  @Test
  void expiredCertificateIsRefused() {
    Instant now = Instant.now();
    GrpcTransport expired =
        transport(
            "n2",
            credentials(
                CA,
                node("n2")
                    .validBetween(now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)))));
    sendToN1(expired, "stale");
    await().atMost(Duration.ofSeconds(10)).until(() -> expired.connectAttempts("n1") >= 3);
    assertThat(atN1).isEmpty();
  }

  @Test
  void memberCannotSpeakForAnotherMember() {
    // n3's process holding n2's certificate: its envelopes say "from n3" on a stream that is n2's.
    GrpcTransport impostor = transport("n3", credentials(CA, node("n2")));
    sendToN1(impostor, "as-n3");
    await().atMost(Duration.ofSeconds(10)).until(() -> n1.impersonations() >= 1);
    assertThat(atN1).isEmpty();
  }

  @Test
  void peerDialsOnlyAServerWhoseCertificateNamesThatPeer() {
    // n2 believes n1 listens where a non-member (n9) does: the handshake fails on n2's side.
    GrpcTransport n9 = transport("n9", credentials(CA, node("n9")));
    List<String> atN9 = new CopyOnWriteArrayList<>();
    n9.start((from, bytes) -> atN9.add(from));
    GrpcTransport n2 = transport("n2", credentials(CA, node("n2")));
    n2.addPeer("n1", "127.0.0.1:" + n9.port());
    n2.start((from, bytes) -> {});
    n2.send("n1", "secret".getBytes(StandardCharsets.UTF_8));
    await().atMost(Duration.ofSeconds(10)).until(() -> n2.connectAttempts("n1") >= 3);
    assertThat(atN9).isEmpty();
  }

  @Test
  void oversizeEnvelopeIsRefusedWithResourceExhausted() throws Exception {
    CertificateAuthority.Issued i = CA.issue(node("n2"));
    TlsCredentials n2 =
        TlsCredentials.of(
            new TlsMaterial(List.of(i.certificate()), i.key(), List.of(CA.certificate())));
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(
                "127.0.0.1:" + n1.port(),
                TlsChannelCredentials.newBuilder()
                    .keyManager(n2.keyManager())
                    .trustManager(n2.trustManager())
                    .build())
            .overrideAuthority("n1")
            .build();
    try {
      CompletableFuture<Status> ended = new CompletableFuture<>();
      StreamObserver<Envelope> out =
          RaftTransportGrpc.newStub(channel)
              .deliver(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(DeliverAck value) {}

                    @Override
                    public void onError(Throwable t) {
                      ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                      ended.complete(Status.OK);
                    }
                  });
      out.onNext(
          Envelope.newBuilder()
              .setFrom("n2")
              .setTo("n1")
              .setPayload(ByteString.copyFrom(new byte[OPTIONS.maxMessageBytes() + 1]))
              .build());
      assertThat(ended.get(10, TimeUnit.SECONDS).getCode())
          .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(atN1).isEmpty();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
