package dev.faultline.api.grpc;

import dev.faultline.api.grpc.raft.DeliverAck;
import dev.faultline.api.grpc.raft.Envelope;
import dev.faultline.api.grpc.raft.RaftTransportGrpc;
import dev.faultline.api.security.TlsCredentials;
import dev.faultline.raft.Transport;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over gRPC: each node listens on its peer address for client streams of {@code
 * faultline.raft.v1.Envelope}s and keeps one outbound stream per peer ({@link PeerLink}). Sending
 * never blocks: a message is written to the peer's stream at once when the stream is ready and
 * nothing waits before it, and otherwise goes into the peer's bounded queue, which drops its oldest
 * message when full; a message larger than the size limit is dropped at once (Raft sends snapshots
 * in chunks, each its own message).
 *
 * <p>Inbound messages are handed to the receiver on the network threads, in order per sender; the
 * receiver must be thread-safe and must not block (the runtime queues them for its event loop).
 *
 * <p>With {@link TlsCredentials}, every link is mutual TLS: a node accepts a stream only from a
 * certificate signed by the cluster's CA that names exactly one current peer ({@link
 * PeerIdentity}), and delivers an envelope only when its {@code from} is that peer; it dials a peer
 * expecting the peer's certificate to name the peer's id. A non-member's messages never reach the
 * receiver.
 */
public final class GrpcTransport implements Transport {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcTransport.class);

  /** Envelope framing (ids and field tags) on top of the payload. */
  private static final int ENVELOPE_OVERHEAD = 1024;

  /**
   * Tuning of the transport.
   *
   * @param maxMessageBytes the largest envelope sent or accepted
   * @param queueCapacity messages held per peer before the oldest is dropped
   * @param initialBackoff the first wait before reopening a broken stream
   * @param maxBackoff the cap of the doubling backoff
   * @param keepAlive the idle time before a connection is probed (and the probe's timeout)
   */
  public record Options(
      int maxMessageBytes,
      int queueCapacity,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration keepAlive) {

    public static final Options DEFAULTS =
        new Options(
            16 << 20, 1024, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(10));

    public Options {
      if (maxMessageBytes < 4096 || queueCapacity < 1) {
        throw new IllegalArgumentException(
            "transport options out of range: max message >= 4096 bytes, queue >= 1");
      }
      if (initialBackoff.isNegative()
          || initialBackoff.isZero()
          || maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("transport backoff must be 0 < initial <= max");
      }
    }
  }

  private final String selfId;
  private final Options options;
  private final TlsCredentials tls;
  private final PeerIdentity identity;
  private final AtomicLong impersonations = new AtomicLong();
  private final Server server;
  private final Map<String, PeerLink> peers = new ConcurrentHashMap<>();
  private final AtomicLong misaddressed = new AtomicLong();
  private final AtomicLong oversize = new AtomicLong();
  private volatile BiConsumer<String, byte[]> receiver;
  private volatile boolean started;
  private volatile boolean closed;

  /**
   * Binds {@code listenHost:listenPort} (port 0 picks a free one) at once, so peers can be told the
   * port; inbound messages are dropped until {@link #start}.
   */
  public GrpcTransport(String selfId, String listenHost, int listenPort, Options options) {
    this(selfId, listenHost, listenPort, options, null);
  }

  /**
   * As {@link #GrpcTransport(String, String, int, Options)}, over mutual TLS with {@code tls} (the
   * node's certificate, which must name {@code selfId}, and the cluster's CA); null is plaintext.
   */
  public GrpcTransport(
      String selfId, String listenHost, int listenPort, Options options, TlsCredentials tls) {
    this.selfId = selfId;
    this.options = options;
    this.tls = tls;
    this.identity = new PeerIdentity(selfId, peers::containsKey);
    ServerCredentials credentials =
        tls == null
            ? InsecureServerCredentials.create()
            : TlsServerCredentials.newBuilder()
                .keyManager(tls.keyManager())
                .trustManager(tls.trustManager())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
                .build();
    this.server =
        NettyServerBuilder.forAddress(
                new java.net.InetSocketAddress(listenHost, listenPort), credentials)
            .maxInboundMessageSize(options.maxMessageBytes())
            .maxInboundMetadataSize(8192)
            .permitKeepAliveTime(
                Math.max(1, options.keepAlive().toMillis() / 2), TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true)
            // The receiver only queues the message for the Raft loop: no need for a hop through
            // gRPC's executor before that.
            .directExecutor()
            .addService(
                tls == null
                    ? new Inbound().bindService()
                    : ServerInterceptors.intercept(new Inbound(), identity))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "node " + selfId + " cannot listen for peers on " + listenHost + ":" + listenPort, e);
    }
  }

  /** The bound peer port. */
  public int port() {
    return server.getPort();
  }

  /** Adds (or re-points) the peer {@code id} at {@code host:port}. */
  public synchronized void addPeer(String id, String address) {
    if (id.equals(selfId)) {
      return;
    }
    PeerLink link = new PeerLink(selfId, id, address, options, tls);
    PeerLink old = peers.put(id, link);
    if (old != null) {
      old.close();
    }
    if (started) {
      link.start();
    }
  }

  /** Stops sending to {@code id} (after a membership change). */
  public synchronized void removePeer(String id) {
    PeerLink old = peers.remove(id);
    if (old != null) {
      old.close();
    }
  }

  @Override
  public synchronized void start(BiConsumer<String, byte[]> receiver) {
    if (started) {
      throw new IllegalStateException("transport of node " + selfId + " already started");
    }
    this.receiver = receiver;
    started = true;
    peers.values().forEach(PeerLink::start);
  }

  @Override
  public void send(String to, byte[] message) {
    if (closed) {
      return;
    }
    if (message.length + ENVELOPE_OVERHEAD > options.maxMessageBytes()) {
      if (oversize.incrementAndGet() % 100 == 1) {
        LOG.warn(
            "{}: dropping a {}-byte message to {}: over the {}-byte transport limit",
            selfId,
            message.length,
            to,
            options.maxMessageBytes());
      }
      return;
    }
    PeerLink link = peers.get(to);
    if (link != null) {
      link.send(message);
    }
  }

  /** Messages dropped for {@code peer} because its queue was full. */
  public long dropped(String peer) {
    PeerLink link = peers.get(peer);
    return link == null ? 0 : link.dropped();
  }

  /** Streams refused because the peer's certificate named no (or more than one) member. */
  public long refusedPeers() {
    return identity.refused();
  }

  /** Envelopes dropped because their {@code from} was not the member the certificate names. */
  public long impersonations() {
    return impersonations.get();
  }

  /** Messages dropped because they exceeded the size limit. */
  public long droppedOversize() {
    return oversize.get();
  }

  /** How many streams to {@code peer} have been opened (1 until the first reconnect). */
  public long connectAttempts(String peer) {
    PeerLink link = peers.get(peer);
    return link == null ? 0 : link.attempts();
  }

  @Override
  public void close() {
    closed = true;
    peers.values().forEach(PeerLink::close);
    peers.clear();
    server.shutdownNow();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The server side: each inbound stream is one peer's messages to us, in order. */
  private final class Inbound extends RaftTransportGrpc.RaftTransportImplBase {
    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverAck> ack) {
      String authenticated = tls == null ? null : PeerIdentity.PEER_ID.get();
      return new StreamObserver<>() {
        @Override
        public void onNext(Envelope envelope) {
          BiConsumer<String, byte[]> r = receiver;
          if (r == null || closed) {
            return;
          }
          if (tls != null && !envelope.getFrom().equals(authenticated)) {
            if (impersonations.incrementAndGet() % 100 == 1) {
              LOG.warn(
                  "{}: dropping a message claiming to come from {} on {}'s authenticated stream",
                  selfId,
                  envelope.getFrom(),
                  authenticated);
            }
            return;
          }
          if (!envelope.getTo().equals(selfId)) {
            if (misaddressed.incrementAndGet() % 100 == 1) {
              LOG.warn(
                  "{}: dropping a message from {} addressed to {}: check the peers' addresses",
                  selfId,
                  envelope.getFrom(),
                  envelope.getTo());
            }
            return;
          }
          try {
            r.accept(envelope.getFrom(), envelope.getPayload().toByteArray());
          } catch (RuntimeException e) {
            LOG.error("{}: receiver failed on a message from {}", selfId, envelope.getFrom(), e);
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          ack.onNext(DeliverAck.getDefaultInstance());
          ack.onCompleted();
        }
      };
    }
  }
}
