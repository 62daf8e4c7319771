package dev.faultline.api.grpc;

import com.google.protobuf.ByteString;
import dev.faultline.api.grpc.raft.DeliverAck;
import dev.faultline.api.grpc.raft.Envelope;
import dev.faultline.api.grpc.raft.RaftTransportGrpc;
import dev.faultline.api.security.TlsCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound half of the transport for one peer: a channel, one long-lived client stream, a
 * bounded queue and a sender thread. A broken stream is reopened after an exponential backoff
 * (capped); messages are written only while the stream is ready, so nothing buffers without bound.
 */
final class PeerLink implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

  private final String selfId;
  private final String peerId;
  private final String address;
  private final GrpcTransport.Options options;
  private final OutboundQueue queue;
  private final ManagedChannel channel;
  private final Thread sender;
  private volatile boolean closed;
  private volatile ClientCallStreamObserver<Envelope> stream;
  private volatile boolean broken = true;
  private volatile long backoffMillis;
  private long attempts;

  PeerLink(
      String selfId,
      String peerId,
      String address,
      GrpcTransport.Options options,
      TlsCredentials tls) {
    this.selfId = selfId;
    this.peerId = peerId;
    this.address = address;
    this.options = options;
    this.queue = new OutboundQueue(options.queueCapacity());
    NettyChannelBuilder builder;
    if (tls == null) {
      builder = NettyChannelBuilder.forTarget(address).usePlaintext();
    } else {
      builder =
          NettyChannelBuilder.forTarget(
                  address,
                  TlsChannelCredentials.newBuilder()
                      .keyManager(tls.keyManager())
                      .trustManager(tls.trustManager())
                      .build())
              // The handshake checks the server's certificate against this name: the peer's id.
              .overrideAuthority(peerId);
    }
    this.channel =
        builder
            .maxInboundMessageSize(options.maxMessageBytes())
            // Detect a peer that went silent (a partition drops packets rather than resetting).
            .keepAliveTime(options.keepAlive().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(options.keepAlive().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveWithoutCalls(true)
            .build();
    this.backoffMillis = options.initialBackoff().toMillis();
    this.sender = new Thread(this::run, "faultline-transport-" + selfId + "-to-" + peerId);
    sender.setDaemon(true);
  }

  void start() {
    sender.start();
  }

  void send(byte[] message) {
    if (!queue.offer(message) && queue.dropped() % 1000 == 1) {
      LOG.warn("{}: outbound queue to {} full, dropping oldest messages", selfId, peerId);
    }
  }

  long dropped() {
    return queue.dropped();
  }

  /** How many times a stream to the peer has been opened. */
  synchronized long attempts() {
    return attempts;
  }

  private void run() {
    try {
      while (!closed) {
        if (broken) {
          reopen();
          continue;
        }
        ClientCallStreamObserver<Envelope> s = stream;
        if (!s.isReady()) {
          queue.awaitSignal(100);
          continue;
        }
        byte[] message = queue.poll();
        if (message == null) {
          queue.awaitChange(1000);
          continue;
        }
        try {
          s.onNext(
              Envelope.newBuilder()
                  .setFrom(selfId)
                  .setTo(peerId)
                  .setPayload(ByteString.copyFrom(message))
                  .build());
        } catch (RuntimeException e) {
          // The stream ended between the readiness check and the write; the message is lost.
          broken = true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.error("{}: sender to {} stopped unexpectedly", selfId, peerId, e);
      }
    }
  }

  /** Opens a new stream, first waiting out the backoff if an earlier stream broke. */
  private void reopen() throws InterruptedException {
    boolean first;
    synchronized (this) {
      first = attempts == 0;
      attempts++;
    }
    if (!first) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
      for (long left = backoffMillis; left > 0 && !closed; ) {
        queue.awaitSignal(left);
        left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      }
      backoffMillis = Math.min(backoffMillis * 2, options.maxBackoff().toMillis());
      // The channel has its own, much longer, reconnect backoff; ours governs instead.
      channel.resetConnectBackoff();
    }
    if (closed) {
      return;
    }
    broken = false;
    RaftTransportGrpc.newStub(channel).deliver(new Responses());
  }

  /** Watches one stream: readiness wakes the sender; an error or end marks the stream broken. */
  private final class Responses implements ClientResponseObserver<Envelope, DeliverAck> {
    private ClientCallStreamObserver<Envelope> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<Envelope> requests) {
      this.requests = requests;
      stream = requests;
      requests.setOnReadyHandler(
          () -> {
            if (requests.isReady()) {
              backoffMillis = options.initialBackoff().toMillis();
            }
            queue.wake();
          });
    }

    @Override
    public void onNext(DeliverAck value) {}

    @Override
    public void onError(Throwable t) {
      if (stream == requests) {
        broken = true;
      }
      LOG.debug("{}: stream to {} at {} broke: {}", selfId, peerId, address, t.toString());
      queue.wake();
    }

    @Override
    public void onCompleted() {
      if (stream == requests) {
        broken = true;
      }
      queue.wake();
    }
  }

  @Override
  public void close() {
    closed = true;
    queue.wake();
    sender.interrupt();
    ClientCallStreamObserver<Envelope> s = stream;
    if (s != null) {
      try {
        s.cancel("transport closed", null);
      } catch (RuntimeException ignored) {
        // Already finished.
      }
    }
    channel.shutdownNow();
    try {
      sender.join(2000);
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
