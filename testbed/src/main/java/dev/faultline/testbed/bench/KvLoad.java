package dev.faultline.testbed.bench;

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
 * A closed-loop key-value load: {@code concurrency} workers, each with its own connection to the
 * leader, issue one operation at a time for a warm-up and then for the measured duration, bounded
 * also by a total operation count. Latency goes to an HdrHistogram per operation kind.
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
   * @param keys how many distinct keys the load picks from (uniformly)
   * @param maxOps a bound on measured operations, whatever the duration
   */
  public record Options(
      List<URI> targets,
      boolean etcd,
      int concurrency,
      Duration warmup,
      Duration duration,
      Mix mix,
      int keySize,
      int valueSize,
      int keys,
      long maxOps,
      long seed) {

    public Options {
      targets = List.copyOf(targets);
      targets.forEach(Options::requireNodeUrl);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("--duration must be positive, was " + duration);
      }
      if (warmup.isNegative()) {
        throw new IllegalArgumentException("--warmup must not be negative, was " + warmup);
      }
      if (maxOps < 1) {
        throw new IllegalArgumentException("--max-ops must be at least 1, was " + maxOps);
      }
      if (concurrency < 1 || concurrency > 4096) {
        throw new IllegalArgumentException("--concurrency must be 1 to 4096, was " + concurrency);
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
    public Options withTargets(List<URI> urls) {
      return new Options(
          urls, etcd, concurrency, warmup, duration, mix, keySize, valueSize, keys, maxOps, seed);
    }

    /** A base URL this load's plain HTTP client can use: http://HOST:PORT with no path. */
    private static void requireNodeUrl(URI u) {
      boolean http = "http".equalsIgnoreCase(u.getScheme());
      String path = u.getRawPath();
      if (!http
          || u.getHost() == null
          || u.getPort() > 65535
          || (path != null && !path.isEmpty() && !path.equals("/"))
          || u.getRawQuery() != null) {
        throw new IllegalArgumentException(
            "--target "
                + u
                + ": not a node's base URL; write http://HOST:PORT, e.g. http://127.0.0.1:8080"
                + ("https".equalsIgnoreCase(u.getScheme())
                    ? " (the load speaks plain HTTP only)"
                    : ""));
      }
    }
  }

  /** Counts and latencies of one operation kind over the measured window. */
  public record OpStats(Op op, long ok, long errors, Histogram latencyNanos) {}

  /** The measured outcome. */
  public record Result(
      String system, URI leader, Options options, double seconds, List<OpStats> ops) {

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

  private final Options options;
  private final KvProtocol protocol;
  private final byte[] value;
  private final Map<Op, Recorder> latency = new EnumMap<>(Op.class);
  private final Map<Op, LongAdder> ok = new EnumMap<>(Op.class);
  private final Map<Op, LongAdder> errors = new EnumMap<>(Op.class);
  private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
  private final AtomicLong measured = new AtomicLong();
  private volatile boolean measuring;
  private volatile boolean stop;

  public KvLoad(Options options) {
    this.options = options;
    this.protocol = options.etcd() ? new KvProtocol.Etcd() : new KvProtocol.Faultline();
    this.value = new byte[options.valueSize()];
    new SplittableRandom(options.seed()).nextBytes(value);
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) ('a' + (value[i] & 0x0f)); // printable, for people who look at the store
    }
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
    int timeout = 10_000;
    URI leader = protocol.leader(options.targets(), timeout);
    if (options.mix() != Mix.PUT) {
      prefill(leader, timeout);
    }
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < options.concurrency(); w++) {
      long seed = options.seed() * 1_000_003L + w;
      Thread t = new Thread(() -> work(leader, timeout, seed), "bench-worker-" + w);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
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
    double seconds = (System.nanoTime() - start) / 1e9;
    List<OpStats> stats = new ArrayList<>();
    for (Op op : Op.values()) {
      Histogram h = latency.get(op).getIntervalHistogram();
      long n = ok.get(op).sum();
      long e = errors.get(op).sum();
      if (n + e > 0) {
        stats.add(new OpStats(op, n, e, h));
      }
    }
    stop = true;
    for (Thread t : workers) {
      t.join(timeout + 1000L);
    }
    return new Result(protocol.name(), leader, options, seconds, stats);
  }

  private void prefill(URI leader, int timeout) throws IOException {
    int n = Math.min(options.keys(), 100_000);
    List<Thread> fillers = new ArrayList<>();
    List<IOException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    int threads = Math.min(options.concurrency(), 32);
    for (int w = 0; w < threads; w++) {
      int first = w;
      Thread t =
          new Thread(
              () -> {
                try (HttpConnection c = new HttpConnection(leader, timeout)) {
                  for (int k = first; k < n; k += threads) {
                    HttpConnection.Response r = protocol.put(c, key(k), value);
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

  private void work(URI leader, int timeout, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int step = 0;
    try (HttpConnection c = new HttpConnection(leader, timeout)) {
      while (!stop) {
        Op op =
            switch (options.mix()) {
              case PUT -> Op.PUT;
              case GET -> Op.GET;
              case PUT_GET_DELETE -> Op.values()[step++ % 3];
            };
        String key = key(random.nextInt(options.keys()));
        long t0 = System.nanoTime();
        try {
          HttpConnection.Response r =
              switch (op) {
                case PUT -> protocol.put(c, key, value);
                case GET -> protocol.get(c, key);
                case DELETE -> protocol.delete(c, key);
              };
          long nanos = System.nanoTime() - t0;
          if (protocol.ok(r)) {
            latency.get(op).recordValue(nanos);
            ok.get(op).increment();
            if (measuring) {
              measured.incrementAndGet();
            }
          } else {
            errors.get(op).increment();
            errorKinds.computeIfAbsent("HTTP " + r.status(), k -> new LongAdder()).increment();
          }
        } catch (IOException e) {
          errors.get(op).increment();
          errorKinds
              .computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder())
              .increment();
        }
      }
    }
  }

  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }
}
