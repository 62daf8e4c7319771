package dev.faultline.testbed.bench;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gRPC side of the load: a fixed number of slots, each with one asynchronous unary call in
 * flight at a time, spread over a few channels to the leader. A slot issues its next call from the
 * completion of the previous one (on the channel's network thread), so the number in flight is
 * exactly the number of slots, with no thread per call. Every request is built before the load
 * starts, one per key and operation, so a call allocates only what gRPC itself needs, the same for
 * either server.
 *
 * <p>A measured call carries no deadline. A deadline costs both sides a timer per call (the
 * client's on its network thread, the server's from the {@code grpc-timeout} header it then
 * parses), work that is the load generator's and not the store's, and etcd's own {@code benchmark}
 * tool sends none either. Calls stay bounded all the same: a sweep every {@link #SWEEP_MILLIS} ms
 * cancels a call older than the call timeout, which is then counted as an error and reissued.
 */
final class GrpcDriver implements AutoCloseable {

  private final GrpcKv kv;
  private final Duration callTimeout;
  private final int channelCount;
  private final LeaderWatch<String> leaders;
  // The channels to each server the load has driven as the leader; the current leader's are used.
  private final Map<String, List<ManagedChannel>> channels = new java.util.HashMap<>();
  private volatile Route route;
  private final Map<KvLoad.Op, Object[]> requests = new EnumMap<>(KvLoad.Op.class);
  private final AtomicInteger active = new AtomicInteger();
  // A failed call is reissued from here after a pause.
  private final ScheduledExecutorService retry = DriverThreads.retries("bench-grpc-retry");
  private volatile boolean stop;
  private final List<Slot> slots = new CopyOnWriteArrayList<>();
  static final long SWEEP_MILLIS = 100;

  GrpcDriver(
      GrpcKv kv,
      LeaderWatch<String> leaders,
      int channelCount,
      Duration callTimeout,
      List<String> keys,
      byte[] value) {
    this.kv = kv;
    this.leaders = leaders;
    this.channelCount = channelCount;
    this.callTimeout = callTimeout;
    toLeader();
    retry.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    ByteString v = ByteString.copyFrom(value);
    for (KvLoad.Op op : KvLoad.Op.values()) {
      Object[] r = new Object[keys.size()];
      for (int k = 0; k < r.length; k++) {
        r[k] = kv.request(op, ByteString.copyFromUtf8(keys.get(k)), v);
      }
      requests.put(op, r);
    }
  }

  /** Writes the first {@code n} keys once, at most 64 in flight, within {@code bound}. */
  void prefill(int n, Duration bound) throws IOException, InterruptedException {
    Semaphore window = new Semaphore(64);
    AtomicReference<String> failure = new AtomicReference<>();
    Object[] puts = requests.get(KvLoad.Op.PUT);
    long deadline = System.nanoTime() + bound.toNanos();
    for (int k = 0; k < n && failure.get() == null; k++) {
      if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new IOException("prefilling " + n + " keys did not finish within " + bound);
      }
      List<ManagedChannel> toLeader = toLeader();
      ClientCalls.asyncUnaryCall(
          toLeader.get(k % toLeader.size()).newCall(kv.method(KvLoad.Op.PUT), options()),
          puts[k],
          new StreamObserver<>() {
            @Override
            public void onNext(Object value) {}

            @Override
            public void onError(Throwable t) {
              failure.compareAndSet(null, Status.fromThrowable(t).toString());
              window.release();
            }

            @Override
            public void onCompleted() {
              window.release();
            }
          });
    }
    if (!window.tryAcquire(64, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      throw new IOException("prefilling " + n + " keys did not finish within " + bound);
    }
    if (failure.get() != null) {
      throw new IOException("prefilling " + n + " keys failed: " + failure.get());
    }
  }

  /** Starts {@code inFlight} slots; each picks its keys with its own seeded random. */
  void start(int inFlight, KvLoad.Mix mix, int keys, long seed, KvLoad.Sink sink) {
    for (int s = 0; s < inFlight; s++) {
      Slot slot = new Slot(s, mix, keys, seed * 1_000_003L + s, sink);
      slots.add(slot);
      active.incrementAndGet();
      slot.next();
    }
  }

  /** Cancels every measured call that has waited longer than the call timeout for its answer. */
  private void sweep() {
    long now = System.nanoTime();
    for (Slot slot : slots) {
      Pending p = slot.pending;
      if (p != null
          && now - p.started() > callTimeout.toNanos()
          && p.timedOut().compareAndSet(false, true)) {
        p.call().cancel("no answer within " + callTimeout.toMillis() + " ms", null);
      }
    }
  }

  /** A measured call in flight: cancelled by {@link #sweep} once it is older than the timeout. */
  private record Pending(ClientCall<Object, Object> call, long started, AtomicBoolean timedOut) {}

  /** Lets every slot finish its call in flight and issue no more, waiting at most {@code bound}. */
  void stop(Duration bound) throws InterruptedException {
    stop = true;
    DriverThreads.awaitIdle(active, bound);
  }

  @Override
  public void close() {
    stop = true;
    retry.shutdownNow();
    List<ManagedChannel> all = new ArrayList<>();
    synchronized (channels) {
      channels.values().forEach(all::addAll);
    }
    all.forEach(ManagedChannel::shutdownNow);
    all.forEach(GrpcKv::close);
  }

  /** The current leader's channels, without a lock while the leader stays where it is. */
  private List<ManagedChannel> toLeader() {
    Route r = route;
    String leader = leaders.current();
    if (r != null && r.leader().equals(leader)) {
      return r.channels();
    }
    List<ManagedChannel> opened = channelsTo(leader);
    route = new Route(leader, opened);
    return opened;
  }

  private record Route(String leader, List<ManagedChannel> channels) {}

  /** The channels to {@code server}, opened on first use. */
  private List<ManagedChannel> channelsTo(String server) {
    synchronized (channels) {
      return channels.computeIfAbsent(
          server,
          s -> {
            List<ManagedChannel> list = new ArrayList<>();
            for (int i = 0; i < channelCount; i++) {
              list.add(GrpcKv.channel(s));
            }
            return List.copyOf(list);
          });
    }
  }

  /** A prefill call's options: bounded by a deadline of its own, as it is not measured. */
  private CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** One call in flight at a time: the observer of its own calls. */
  private final class Slot implements StreamObserver<Object> {
    private final int index;
    private final KvLoad.Mix mix;
    private final int keys;
    private final SplittableRandom random;
    private final KvLoad.Sink sink;
    private int step;
    private KvLoad.Op op;
    private long started;
    private volatile Pending pending;

    Slot(int index, KvLoad.Mix mix, int keys, long seed, KvLoad.Sink sink) {
      this.index = index;
      this.mix = mix;
      this.keys = keys;
      this.random = new SplittableRandom(seed);
      this.sink = sink;
    }

    void next() {
      if (stop) {
        active.decrementAndGet();
        return;
      }
      op = mix.op(step++);
      Object request = requests.get(op)[random.nextInt(keys)];
      List<ManagedChannel> toLeader = toLeader();
      ClientCall<Object, Object> call =
          toLeader.get(index % toLeader.size()).newCall(kv.method(op), CallOptions.DEFAULT);
      started = System.nanoTime();
      pending = new Pending(call, started, new AtomicBoolean());
      ClientCalls.asyncUnaryCall(call, request, this);
    }

    @Override
    public void onNext(Object response) {
      // Every answer of these three methods is a success (an absent key too).
    }

    @Override
    public void onCompleted() {
      long took = System.nanoTime() - started;
      pending = null;
      sink.ok(op, took);
      next();
    }

    @Override
    public void onError(Throwable t) {
      Pending p = pending;
      pending = null;
      sink.error(
          op,
          p != null && p.timedOut().get()
              ? "gRPC no answer within " + callTimeout.toMillis() + " ms"
              : "gRPC " + Status.fromThrowable(t).getCode());
      String named = kv.leaderNamedBy(t);
      try {
        retry.schedule(
            () -> {
              // Off the network thread: asking the targets blocks.
              if (named != null) {
                leaders.named(named);
              } else {
                leaders.lost();
              }
              next();
            },
            1,
            TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        active.decrementAndGet();
      }
    }
  }
}
