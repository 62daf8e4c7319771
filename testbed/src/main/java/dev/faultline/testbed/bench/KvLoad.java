package dev.faultline.testbed.bench;

import dev.faultline.workloads.client.HttpConnection;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop key-value load with a fixed number of operations in flight, against Faultline or
 * etcd, over HTTP or gRPC: a warm-up, then the measured duration, bounded also by a total operation
 * count. Over HTTP each in-flight operation is a worker thread with its own keep-alive connection;
 * over gRPC it is a slot of {@link GrpcDriver} with one asynchronous call at a time. Both find the
 * leader first and pick keys the same way; latency goes to an HdrHistogram per operation kind.
 */
public final class KvLoad {

  /** The operations a run mixes. */
  public enum Mix {
    PUT,
    GET,
    PUT_GET_DELETE;

    public static Mix parse(String s) {
      return switch (s) {
        case "put" -> PUT;
        case "get" -> GET;
        case "put-get-delete" -> PUT_GET_DELETE;
        default ->
            throw new IllegalArgumentException(
                "--mix '" + s + "' is not one of put, get, put-get-delete");
      };
    }

    /** The operation a worker issues at its {@code step}-th turn. */
    Op op(int step) {
      return switch (this) {
        case PUT -> Op.PUT;
        case GET -> Op.GET;
        case PUT_GET_DELETE -> Op.values()[Math.floorMod(step, 3)];
      };
    }
  }

  /** The server under load. */
  public enum Store {
    FAULTLINE,
    ETCD;

    public static Store parse(String s) {
      return switch (s) {
        case "faultline" -> FAULTLINE;
        case "etcd" -> ETCD;
        default ->
            throw new IllegalArgumentException(
                "--system '" + s + "' is not one of faultline, etcd");
      };
    }
  }

  /** How the load speaks to it. */
  public enum Protocol {
    HTTP,
    GRPC;

    public static Protocol parse(String s) {
      return switch (s) {
        case "http" -> HTTP;
        case "grpc" -> GRPC;
        default ->
            throw new IllegalArgumentException("--protocol '" + s + "' is not one of http, grpc");
      };
    }
  }

  /** Where the workers report each finished operation. */
  interface Sink {
    void ok(Op op, long nanos);

    void error(Op op, String kind);
  }

  /** One operation kind. */
  public enum Op {
    PUT,
    GET,
    DELETE
  }

  /**
   * What to run.
   *
   * @param targets the servers' addresses: {@code http://HOST:PORT} over HTTP, {@code HOST:PORT}
   *     over gRPC (normalised to that form)
   * @param inFlight operations in flight at any time (closed loop)
   * @param channels gRPC channels (connections) to the leader the in-flight calls share
   * @param keys how many distinct keys the load picks from (uniformly)
   * @param maxOps a bound on measured operations, whatever the duration
   */
  public record Options(
      List<String> targets,
      Store store,
      Protocol protocol,
      int inFlight,
      int channels,
      Duration warmup,
      Duration duration,
      Mix mix,
      int keySize,
      int valueSize,
      int keys,
      long maxOps,
      long seed) {

    public Options {
      targets = targets.stream().map(t -> normalise(t, protocol)).toList();
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("--duration must be positive, was " + duration);
      }
      if (warmup.isNegative()) {
        throw new IllegalArgumentException("--warmup must not be negative, was " + warmup);
      }
      if (maxOps < 1) {
        throw new IllegalArgumentException("--max-ops must be at least 1, was " + maxOps);
      }
      if (inFlight < 1 || inFlight > 4096) {
        throw new IllegalArgumentException("--in-flight must be 1 to 4096, was " + inFlight);
      }
      if (channels < 1 || channels > 64) {
        throw new IllegalArgumentException("--channels must be 1 to 64, was " + channels);
      }
      if (keySize < 8 || keySize > 1024) {
        throw new IllegalArgumentException("--key-size must be 8 to 1024, was " + keySize);
      }
      if (valueSize < 0 || valueSize > 1 << 20) {
        throw new IllegalArgumentException("--value-size must be 0 to 1048576, was " + valueSize);
      }
      if (keys < 1) {
        throw new IllegalArgumentException("--keys must be at least 1, was " + keys);
      }
    }

    /** The same options against other nodes. */
    public Options withTargets(List<String> addresses) {
      return new Options(
          addresses, store, protocol, inFlight, channels, warmup, duration, mix, keySize, valueSize,
          keys, maxOps, seed);
    }

    /**
     * A target in the form the protocol's client uses: over HTTP a base URL http://HOST:PORT with
     * no path; over gRPC HOST:PORT (http://HOST:PORT is accepted and stripped).
     */
    static String normalise(String target, Protocol protocol) {
      String hostPort = target;
      if (protocol == Protocol.GRPC && target.startsWith("http://")) {
        hostPort = target.substring("http://".length());
        if (hostPort.endsWith("/")) {
          hostPort = hostPort.substring(0, hostPort.length() - 1);
        }
      }
      if (protocol == Protocol.GRPC) {
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && !hostPort.contains("/")) {
          try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port > 0 && port <= 65535) {
              return hostPort;
            }
          } catch (NumberFormatException e) {
            // falls through to the refusal
          }
        }
        throw new IllegalArgumentException(
            "--target "
                + target
                + ": not a gRPC address; write HOST:PORT, e.g. 127.0.0.1:8180 (a node's --grpc"
                + " address, or an etcd member's client port)");
      }
      URI u;
      try {
        u = new URI(target);
      } catch (java.net.URISyntaxException e) {
        u = null;
      }
      String path = u == null ? null : u.getRawPath();
      if (u == null
          || !"http".equalsIgnoreCase(u.getScheme())
          || u.getHost() == null
          || u.getPort() > 65535
          || (path != null && !path.isEmpty() && !path.equals("/"))
          || u.getRawQuery() != null) {
        throw new IllegalArgumentException(
            "--target "
                + target
                + ": not a node's base URL; write http://HOST:PORT, e.g. http://127.0.0.1:8080"
                + (u != null && "https".equalsIgnoreCase(u.getScheme())
                    ? " (the load speaks plain HTTP only)"
                    : ""));
      }
      return "http://" + u.getHost() + ":" + (u.getPort() < 0 ? 80 : u.getPort());
    }
  }

  /** Counts and latencies of one operation kind over the measured window. */
  public record OpStats(Op op, long ok, long errors, Histogram latencyNanos) {}

  /**
   * The measured outcome; {@code leader} is the leader at the end, and {@code leaderChanges} how
   * many times the load followed it to another server (warm-up included).
   */
  public record Result(
      String system,
      String leader,
      int leaderChanges,
      Options options,
      double seconds,
      List<OpStats> ops) {

    public long totalOk() {
      return ops.stream().mapToLong(OpStats::ok).sum();
    }

    public long totalErrors() {
      return ops.stream().mapToLong(OpStats::errors).sum();
    }

    public double opsPerSecond() {
      return totalOk() / seconds;
    }

    /** All kinds' latencies together. */
    public Histogram latency() {
      Histogram all = new Histogram(3);
      ops.forEach(s -> all.add(s.latencyNanos()));
      return all;
    }
  }

  /** How long asking the targets for the leader may take, once the load runs. */
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);

  private final Options options;
  private final byte[] value;
  private final List<String> keyNames;
  private final Map<Op, Recorder> latency = new EnumMap<>(Op.class);
  private final Map<Op, LongAdder> ok = new EnumMap<>(Op.class);
  private final Map<Op, LongAdder> errors = new EnumMap<>(Op.class);
  private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
  private final AtomicLong measured = new AtomicLong();
  private final Sink sink = new Counting();
  private volatile boolean measuring;
  private double seconds;

  public KvLoad(Options options) {
    this.options = options;
    this.value = new byte[options.valueSize()];
    new SplittableRandom(options.seed()).nextBytes(value);
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) ('a' + (value[i] & 0x0f)); // printable, for people who look at the store
    }
    List<String> names = new ArrayList<>(options.keys());
    for (int k = 0; k < options.keys(); k++) {
      names.add(key(k));
    }
    this.keyNames = List.copyOf(names);
    for (Op op : Op.values()) {
      latency.put(op, new Recorder(3));
      ok.put(op, new LongAdder());
      errors.put(op, new LongAdder());
    }
  }

  /**
   * The key numbered {@code n}: ASCII, exactly {@code keySize} bytes, the same for every system.
   */
  String key(int n) {
    String digits = Integer.toString(n);
    StringBuilder sb = new StringBuilder(options.keySize());
    sb.append("bench-");
    for (int i = sb.length() + digits.length(); i < options.keySize(); i++) {
      sb.append('0');
    }
    return sb.append(digits).toString();
  }

  /** Error kinds seen (status or exception), with counts. */
  public Map<String, Long> errorKinds() {
    Map<String, Long> out = new java.util.TreeMap<>();
    errorKinds.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Finds the leader, prefills the keys a read needs, warms up, then measures. */
  public Result run() throws IOException, InterruptedException {
    Duration timeout = Duration.ofSeconds(10);
    int prefill = options.mix() == Mix.PUT ? 0 : Math.min(options.keys(), 100_000);
    if (options.protocol() == Protocol.GRPC) {
      GrpcKv kv = options.store() == Store.ETCD ? new GrpcKv.Etcd() : new GrpcKv.Faultline();
      LeaderWatch<String> leaders =
          new LeaderWatch<>(
              kv.leader(options.targets(), timeout),
              () -> kv.leader(options.targets(), LOOKUP_TIMEOUT));
      try (GrpcDriver driver =
          new GrpcDriver(kv, leaders, options.channels(), timeout, keyNames, value)) {
        driver.prefill(prefill, Duration.ofMinutes(2));
        driver.start(options.inFlight(), options.mix(), options.keys(), options.seed(), sink);
        List<OpStats> stats = measure();
        driver.stop(timeout.plusSeconds(1));
        return new Result(kv.name(), leaders.current(), leaders.changes(), options, seconds, stats);
      }
    }
    KvProtocol protocol =
        options.store() == Store.ETCD ? new KvProtocol.Etcd() : new KvProtocol.Faultline();
    List<URI> targets = options.targets().stream().map(URI::create).toList();
    URI leader = protocol.leader(targets, (int) timeout.toMillis());
    LeaderWatch<URI> leaders =
        new LeaderWatch<>(leader, () -> protocol.leader(targets, (int) LOOKUP_TIMEOUT.toMillis()));
    prefill(protocol, leader, (int) timeout.toMillis(), prefill);
    try (HttpDriver driver = new HttpDriver(protocol, leaders, timeout, keyNames, value)) {
      driver.start(options.inFlight(), options.mix(), options.keys(), options.seed(), sink);
      List<OpStats> stats = measure();
      driver.stop(timeout.plusSeconds(1));
      return new Result(
          protocol.name(),
          leaders.current().toString(),
          leaders.changes(),
          options,
          seconds,
          stats);
    }
  }

  /** Waits out the warm-up, forgets it, then measures for the duration or up to maxOps. */
  private List<OpStats> measure() throws InterruptedException {
    sleepUntil(System.nanoTime() + options.warmup().toNanos());
    latency.values().forEach(Recorder::reset);
    ok.values().forEach(LongAdder::reset);
    errors.values().forEach(LongAdder::reset);
    errorKinds.clear();
    long start = System.nanoTime();
    measuring = true;
    long end = start + options.duration().toNanos();
    while (System.nanoTime() < end && measured.get() < options.maxOps()) {
      sleepUntil(Math.min(end, System.nanoTime() + 50_000_000L));
    }
    measuring = false;
    seconds = (System.nanoTime() - start) / 1e9;
    List<OpStats> stats = new ArrayList<>();
    for (Op op : Op.values()) {
      Histogram h = latency.get(op).getIntervalHistogram();
      long n = ok.get(op).sum();
      long e = errors.get(op).sum();
      if (n + e > 0) {
        stats.add(new OpStats(op, n, e, h));
      }
    }
    return stats;
  }

  /** Records into the run's histograms and counters; safe from any thread. */
  private final class Counting implements Sink {
    @Override
    public void ok(Op op, long nanos) {
      latency.get(op).recordValue(nanos);
      ok.get(op).increment();
      if (measuring) {
        measured.incrementAndGet();
      }
    }

    @Override
    public void error(Op op, String kind) {
      errors.get(op).increment();
      errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }
  }

  private void prefill(KvProtocol protocol, URI leader, int timeout, int n) throws IOException {
    if (n == 0) {
      return;
    }
    List<Thread> fillers = new ArrayList<>();
    List<IOException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    int threads = Math.min(options.inFlight(), 32);
    for (int w = 0; w < threads; w++) {
      int first = w;
      Thread t =
          new Thread(
              () -> {
                try (HttpConnection c = new HttpConnection(leader, Duration.ofMillis(timeout))) {
                  for (int k = first; k < n; k += threads) {
                    HttpConnection.Response r = protocol.put(c, keyNames.get(k), value);
                    if (!protocol.ok(r)) {
                      throw new IOException("prefill put answered HTTP " + r.status());
                    }
                  }
                } catch (IOException e) {
                  failures.add(e);
                }
              });
      fillers.add(t);
      t.start();
    }
    for (Thread t : fillers) {
      try {
        t.join(120_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while prefilling", e);
      }
    }
    if (!failures.isEmpty()) {
      throw new IOException("prefilling " + n + " keys failed: " + failures.get(0).getMessage());
    }
  }

  /** The server a redirect's {@code Location} names ({@code http://HOST:PORT}), or null. */
  static URI base(String location) {
    if (location == null) {
      return null;
    }
    try {
      URI u = new URI(location);
      if (u.getHost() == null || !"http".equalsIgnoreCase(u.getScheme())) {
        return null;
      }
      return URI.create("http://" + u.getHost() + ":" + (u.getPort() < 0 ? 80 : u.getPort()));
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }
}
