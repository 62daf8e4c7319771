package dev.faultline.testbed;

import dev.faultline.checker.CheckOptions;
import dev.faultline.checker.CheckResult;
import dev.faultline.checker.Checker;
import dev.faultline.checker.SimulatedKvHistory;
import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faultline bench checker}: how fast the checker decides. Reads every history of a folder
 * (parsing is not timed), warms up, then times each check single-threaded and on all cores; or
 * generates a seeded key-value history of a given size and times its check.
 */
@Command(
    name = "checker",
    mixinStandardHelpOptions = true,
    description = {
      "Time the linearizability checker on every history in DIR (parsing excluded), single-threaded"
          + " and parallel, after a warm-up; or on a generated kv history (--generate-kv)."
    })
public final class BenchCheckerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Folder of histories.")
  Path dir;

  @Option(names = "--warmup", defaultValue = "3", description = "Untimed passes (default 3).")
  int warmup;

  @Option(names = "--runs", defaultValue = "5", description = "Timed passes (default 5).")
  int runs;

  @Option(names = "--no-split", description = "Check each history as one partition.")
  boolean noSplit;

  @Option(
      names = "--threads",
      description = "Threads for the parallel runs (default: the number of cores).")
  Integer threads;

  @Option(
      names = "--no-explain",
      description =
          "Do not describe the states of the linearization found (`check` describes them, so by"
              + " default this does too).")
  boolean noExplain;

  @Option(
      names = "--all-keys",
      description =
          "Decide every key, as `check --all-keys` does (default: stop at the first invalid key,"
              + " as `check` does).")
  boolean allKeys;

  @Option(
      names = "--generate-kv",
      paramLabel = "CALLS",
      description =
          "Generate a seeded kv history of CALLS calls (1000 keys, 50 clients, 5%% info) and check"
              + " it.")
  Integer generateKv;

  @Option(names = "--seed", defaultValue = "1", description = "Generator seed (default 1).")
  long seed;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      description = "Budget per check, as `check --timeout` (default ${DEFAULT-VALUE}).")
  String timeout;

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private record Entry(Path file, History history, long[] single, long[] cpu, long[] parallel) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    if (dir == null && generateKv == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give a folder of histories, or --generate-kv CALLS");
    }
    int cores = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    // The options `check` uses by default, changed only where a flag says so: the figures are
    // those of the command a user runs.
    CheckOptions base =
        CheckOptions.defaults()
            .withTimeout(CheckCommand.timeout(timeout))
            .withSplit(!noSplit)
            .withExplain(!noExplain)
            .withStopAtFirstInvalid(!allKeys);
    o.printf(
        Locale.ROOT,
        "JDK %s, %d cores, max heap %d MiB, split %s, explain %s, %s, warm-up %d, runs %d%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        !noSplit,
        !noExplain,
        allKeys ? "every key decided" : "stop at first invalid key",
        warmup,
        runs);
    if (dir != null) {
      benchFolder(o, base, cores);
    }
    if (generateKv != null) {
      benchGenerated(o, base, cores);
    }
    o.flush();
    return ExitCode.VALID;
  }

  private void benchFolder(PrintWriter o, CheckOptions base, int cores) throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".md") || name.endsWith(".tsv")) {
        continue;
      }
      try {
        HistoryFormat fmt = HistoryFormat.detect(f);
        entries.add(
            new Entry(
                f, HistoryFiles.read(f, fmt), new long[runs], new long[runs], new long[runs]));
      } catch (RuntimeException e) {
        o.println("skipped " + f + ": " + e.getMessage());
      }
    }
    for (int w = 0; w < warmup; w++) {
      for (Entry e : entries) {
        check(e.history(), base.withThreads(1));
        check(e.history(), base.withThreads(cores));
      }
    }
    String[] verdicts = new String[entries.size()];
    for (int r = 0; r < runs; r++) {
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        // With one thread the check runs on this thread, so its CPU time is the check's alone:
        // a steadier figure than wall time on a shared machine.
        long c0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        CheckResult res = check(e.history(), base.withThreads(1));
        e.single()[r] = System.nanoTime() - t0;
        e.cpu()[r] = CPU.getCurrentThreadCpuTime() - c0;
        verdicts[i] = res == null ? "error" : res.verdict().wireName();
      }
      for (Entry e : entries) {
        long t0 = System.nanoTime();
        check(e.history(), base.withThreads(cores));
        e.parallel()[r] = System.nanoTime() - t0;
      }
    }
    o.printf(
        Locale.ROOT,
        "%-48s %8s %7s %12s %12s %12s%n",
        "file",
        "verdict",
        "calls",
        "1 thread ms",
        "1 thread cpu",
        cores + " threads ms");
    long[] totalSingle = new long[runs];
    long[] totalParallel = new long[runs];
    long[] totalCpu = new long[runs];
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      for (int r = 0; r < runs; r++) {
        totalSingle[r] += e.single()[r];
        totalParallel[r] += e.parallel()[r];
        totalCpu[r] += e.cpu()[r];
      }
      o.printf(
          Locale.ROOT,
          "%-48s %8s %7d %12.2f %12.2f %12.2f%n",
          dir.relativize(e.file()),
          verdicts[i],
          e.history().calls().size(),
          median(e.single()) / 1e6,
          median(e.cpu()) / 1e6,
          median(e.parallel()) / 1e6);
    }
    o.printf(
        Locale.ROOT,
        "TOTAL %d histories: 1 thread median %.3f s (min %.3f s, cpu median %.3f s), %d threads"
            + " median %.3f s (min %.3f s)%n",
        entries.size(),
        median(totalSingle) / 1e9,
        Arrays.stream(totalSingle).min().orElse(0) / 1e9,
        median(totalCpu) / 1e9,
        cores,
        median(totalParallel) / 1e9,
        Arrays.stream(totalParallel).min().orElse(0) / 1e9);
  }

  private void benchGenerated(PrintWriter o, CheckOptions base, int cores) {
    long t0 = System.nanoTime();
    History h = SimulatedKvHistory.generate(seed, generateKv, 1000, 50, 5);
    o.printf(
        Locale.ROOT,
        "generated %d calls (%d ops, seed %d, 1000 keys, 50 clients, 5%% info) in %.2f s%n",
        generateKv,
        h.size(),
        seed,
        (System.nanoTime() - t0) / 1e9);
    for (int w = 0; w < warmup; w++) {
      check(h, base.withThreads(cores));
    }
    long[] times = new long[runs];
    CheckResult last = null;
    for (int r = 0; r < runs; r++) {
      long cpu0 = processCpuNanos();
      long s = System.nanoTime();
      last = check(h, base.withThreads(cores));
      times[r] = System.nanoTime() - s;
      long cpu = processCpuNanos() - cpu0;
      o.printf(
          Locale.ROOT,
          "run %d: %s in %.2f s (%d threads; process CPU %.2f s)%n",
          r + 1,
          last == null ? "error" : last.verdict().wireName(),
          times[r] / 1e9,
          cores,
          cpu / 1e9);
    }
    Runtime rt = Runtime.getRuntime();
    o.printf(
        Locale.ROOT,
        "generated kv: median %.2f s, min %.2f s; heap in use after %d MiB of %d MiB%n",
        median(times) / 1e9,
        Arrays.stream(times).min().orElse(0) / 1e9,
        (rt.totalMemory() - rt.freeMemory()) >> 20,
        rt.maxMemory() >> 20);
  }

  /** CPU time of the whole JVM (all threads, GC included), or 0 where the JVM does not say. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  private static CheckResult check(History h, CheckOptions options) {
    try {
      return Checker.check(h, options);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long median(long[] xs) {
    if (xs.length == 0) {
      return 0;
    }
    long[] c = xs.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
