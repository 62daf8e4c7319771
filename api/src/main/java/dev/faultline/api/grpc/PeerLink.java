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
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound half of the transport for one peer: a channel, one long-lived client stream, a
 * bounded queue and a sender thread. A broken stream is reopened after an exponential backoff
 * (capped); messages are written only while the stream is ready, so nothing buffers without bound.
 *
 * <p>While the stream is ready and nothing is queued, {@link #send} writes the message to the
 * stream on the caller's thread (the Raft loop), saving a wake-up of the sender thread per message;
 * otherwise the message is queued and the sender drains the queue in order. {@code writeLock}
 * serialises every write to the stream (a gRPC call is not thread-safe) and keeps the order: the
 * caller writes directly only when it holds the lock and the queue is empty.
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
  private final ReentrantLock writeLock = new ReentrantLock();
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
            // A lost stream is reopened here (run, reopen), never replayed by gRPC: its retry
            // machinery would only copy the stream's messages into a replay buffer never used.
            .disableRetry()
            // Stream callbacks only set flags and wake the sender: run them on the network thread.
            .directExecutor()
            .build();
    this.backoffMillis = options.initialBackoff().toMillis();
    this.sender = new Thread(this::run, "faultline-transport-" + selfId + "-to-" + peerId);
    sender.setDaemon(true);
  }

  void start() {
    sender.start();
  }

  void send(byte[] message) {
    if (!broken && writeLock.tryLock()) {
      try {
        ClientCallStreamObserver<Envelope> s = stream;
        if (!broken && s != null && s.isReady() && queue.size() == 0) {
          write(s, message);
          return;
        }
      } finally {
        writeLock.unlock();
      }
    }
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
        writeLock.lock();
        try {
          byte[] message = queue.poll();
          if (message != null) {
            write(s, message);
            continue;
          }
        } finally {
          writeLock.unlock();
        }
        queue.awaitChange(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.error("{}: sender to {} stopped unexpectedly", selfId, peerId, e);
      }
    }
  }

  /** Writes one message to the stream; the caller holds {@code writeLock}. */
  private void write(ClientCallStreamObserver<Envelope> s, byte[] message) {
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
      queue.wake();
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
    // Under the write lock, so that no direct send sees the old stream as healthy meanwhile.
    writeLock.lock();
    try {
      broken = false;
      RaftTransportGrpc.newStub(channel).deliver(new Responses());
    } finally {
      writeLock.unlock();
    }
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
