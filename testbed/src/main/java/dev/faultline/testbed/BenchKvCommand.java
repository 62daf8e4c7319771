package dev.faultline.testbed;

import dev.faultline.testbed.bench.KvLoad;
import dev.faultline.testbed.cluster.ProcessCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Option;

/**
 * The options and the run of {@code faultline bench} without a subcommand: a closed-loop key-value
 * load (by default 32-byte keys, 256-byte values, 64 in flight) against Faultline or etcd, over
 * HTTP (etcd: its JSON gateway) or gRPC (etcd: its native API), printing ops/s and latency
 * percentiles. Without {@code --target} it starts a local 3-node cluster in a temporary directory
 * and stops it afterwards.
 */
public final class BenchKvCommand {

  @Option(
      names = "--target",
      paramLabel = "ADDRESS",
      description =
          "A server: over HTTP its base URL, e.g. http://127.0.0.1:18080; over gRPC HOST:PORT,"
              + " e.g. 127.0.0.1:18180 (repeatable; the leader is found among them). None: start"
              + " a local Faultline cluster for the run.")
  List<String> targets = new ArrayList<>();

  @Option(
      names = "--system",
      description =
          "faultline or etcd (default faultline). etcd over HTTP is its v3 JSON gateway, over"
              + " gRPC its native API; GETs are linearizable on both systems.")
  String system;

  @Option(names = "--etcd", description = "Same as --system etcd.")
  boolean etcd;

  @Option(
      names = "--protocol",
      defaultValue = "http",
      description = "http or grpc (default ${DEFAULT-VALUE}).")
  String protocol;

  @Option(
      names = {"--in-flight", "--concurrency"},
      defaultValue = "64",
      description = "Operations in flight (default ${DEFAULT-VALUE}); 1 is one client, one op.")
  int inFlight;

  @Option(
      names = "--channels",
      defaultValue = "1",
      description =
          "gRPC channels (connections) to the leader that the calls in flight share (default"
              + " ${DEFAULT-VALUE}); over HTTP each in-flight operation has its own connection.")
  int channels;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Measured time (default ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Unmeasured time first (default ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(
      names = "--mix",
      defaultValue = "put",
      description = "put, get or put-get-delete (default ${DEFAULT-VALUE}).")
  String mix;

  @Option(
      names = "--key-size",
      defaultValue = "32",
      description = "Key bytes (default ${DEFAULT-VALUE}).")
  int keySize;

  @Option(
      names = "--value-size",
      defaultValue = "256",
      description = "Value bytes (default ${DEFAULT-VALUE}).")
  int valueSize;

  @Option(
      names = "--keys",
      defaultValue = "10000",
      description = "Distinct keys, picked uniformly (default ${DEFAULT-VALUE}).")
  int keys;

  @Option(
      names = "--max-ops",
      defaultValue = "100000000",
      description = "Stop measuring after this many operations (default ${DEFAULT-VALUE}).")
  long maxOps;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the key choice (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--base-port",
      defaultValue = "0",
      description =
          "First HTTP port of the cluster started when there is no --target (default: free ports"
              + " found at random).")
  int basePort;

  /** Runs the load and prints its figures; exit 0, or 3 when no operation succeeded. */
  int run(PrintWriter out) throws IOException, InterruptedException {
    // Every option is checked here, before a cluster is started for the run.
    KvLoad.Store store = system == null ? KvLoad.Store.FAULTLINE : KvLoad.Store.parse(system);
    if (etcd && system != null && store != KvLoad.Store.ETCD) {
      throw new IllegalArgumentException(
          "--etcd and --system " + system + " contradict each other; give one of them");
    }
    if (etcd) {
      store = KvLoad.Store.ETCD;
    }
    KvLoad.Protocol proto = KvLoad.Protocol.parse(protocol);
    KvLoad.Options options =
        new KvLoad.Options(
            targets,
            store,
            proto,
            inFlight,
            channels,
            warmup,
            duration,
            KvLoad.Mix.parse(mix),
            keySize,
            valueSize,
            keys,
            maxOps,
            seed);
    if (!targets.isEmpty()) {
      return measure(out, options);
    }
    if (store == KvLoad.Store.ETCD) {
      throw new IllegalArgumentException(
          "--system etcd needs --target with the etcd members' client addresses");
    }
    if (basePort < 0 || basePort > 65535 - 203) {
      throw new IllegalArgumentException(
          "--base-port "
              + basePort
              + ": use 1 to "
              + (65535 - 203)
              + " (three nodes need BASE+2, BASE+102 and BASE+202), or 0 for free ports");
    }
    Path dir = Files.createTempDirectory("faultline-bench-");
    try {
      ProcessCluster cluster = startCluster(dir);
      try {
        out.println("started a 3-node cluster in " + dir + " for the run (removed afterwards)");
        out.flush();
        List<String> addresses =
            proto == KvLoad.Protocol.GRPC
                ? cluster.state().nodes().stream().map(n -> n.grpc()).toList()
                : cluster.httpUrls();
        return measure(out, options.withTargets(addresses));
      } finally {
        cluster.down(Duration.ofSeconds(10));
      }
    } finally {
      deleteTree(dir);
    }
  }

  /** Removes the run's temporary cluster folder (node data and logs), however the run ended. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private ProcessCluster startCluster(Path dir) throws IOException {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int base =
          basePort > 0
              ? basePort
              : 20_000 + (int) ((System.nanoTime() / 1000 + attempt * 7919L) % 300) * 100;
      try {
        return ProcessCluster.up(ProcessCluster.Options.of(dir, 3, base));
      } catch (IllegalStateException e) {
        if (basePort > 0 || !e.getMessage().contains("in use")) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  private int measure(PrintWriter out, KvLoad.Options o) throws IOException, InterruptedException {
    KvLoad load = new KvLoad(o);
    KvLoad.Result r = load.run();
    out.printf(
        Locale.ROOT,
        "%s over %s at %s: mix %s, %d in flight%s, %d-byte keys (%d distinct), %d-byte values,"
            + " %.1f s measured after %d s warm-up%n",
        r.system(),
        o.protocol().name().toLowerCase(Locale.ROOT),
        r.leader(),
        mix,
        o.inFlight(),
        o.protocol() == KvLoad.Protocol.GRPC ? " on " + o.channels() + " channel(s)" : "",
        keySize,
        keys,
        valueSize,
        r.seconds(),
        warmup.toSeconds());
    for (KvLoad.OpStats s : r.ops()) {
      out.println(
          "  "
              + line(
                  s.op().name().toLowerCase(Locale.ROOT),
                  s.ok(),
                  s.errors(),
                  r.seconds(),
                  s.latencyNanos()));
    }
    out.println("  " + line("all", r.totalOk(), r.totalErrors(), r.seconds(), r.latency()));
    Map<String, Long> kinds = load.errorKinds();
    if (!kinds.isEmpty()) {
      out.println("  errors: " + kinds);
    }
    if (r.leaderChanges() > 0) {
      out.printf(
          Locale.ROOT,
          "  the leader moved %d time(s) during the run (warm-up included) and the load followed it,"
              + " to %s at the end; operations refused or unanswered while it moved are errors%n",
          r.leaderChanges(),
          r.leader());
    }
    Histogram h = r.latency();
    out.printf(
        Locale.ROOT,
        "RESULT system=%s protocol=%s mix=%s in_flight=%d ops_per_sec=%.0f p50_ms=%.3f"
            + " p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors=%d leader_changes=%d%n",
        r.system(),
        o.protocol().name().toLowerCase(Locale.ROOT),
        mix,
        o.inFlight(),
        r.opsPerSecond(),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()),
        r.totalErrors(),
        r.leaderChanges());
    out.flush();
    return r.totalOk() > 0 ? ExitCode.VALID : ExitCode.ERROR;
  }

  private static String line(String name, long ok, long errors, double seconds, Histogram h) {
    return String.format(
        Locale.ROOT,
        "%-6s %9d ok %6d errors %10.0f ops/s   latency ms: p50 %.3f  p99 %.3f  p999 %.3f"
            + "  max %.3f",
        name,
        ok,
        errors,
        ok / seconds,
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
