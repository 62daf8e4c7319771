package dev.faultline.testbed;

import dev.faultline.checker.SimulatedKvHistory;
import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import dev.faultline.histories.format.JsonLinesWriter;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faultline bench history}: how fast a history file is read. Without a file, a seeded
 * synthetic key-value history is generated first (the checker's {@link SimulatedKvHistory}); reads
 * are timed after a warm-up read.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Time reading a history file (default: a generated, seeded 1M-op key-value history in JSON"
          + " Lines), after one warm-up read. Prints seconds, ops/s and heap held by the history."
    })
public final class BenchHistoryCommand implements Callable<Integer> {
  private static final int KEYS = 1000;
  private static final int CLIENTS = 16;
  private static final int INFO_PERCENT = 5;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description = "A history to read; when absent one is generated in a temporary directory.")
  Path file;

  @Option(
      names = "--ops",
      defaultValue = "1000000",
      description = "Ops to generate (default ${DEFAULT-VALUE}).")
  int ops;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Generator seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--runs",
      defaultValue = "3",
      description = "Timed reads (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--keep",
      paramLabel = "OUT",
      description = "Write the generated history to OUT and keep it (instead of a temporary file).")
  Path keep;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "Format of FILE: auto (default), jsonl, edn, jepsen-log, porcupine-kv.")
  HistoryFormat format;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (ops < 1 || runs < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--ops and --runs must be at least 1");
    }
    Path dir = null;
    Path target = file;
    try {
      if (target == null) {
        if (keep == null) {
          dir = Files.createTempDirectory("faultline-bench");
          target = dir.resolve("history.jsonl");
        } else {
          target = keep;
        }
        long t0 = System.nanoTime();
        try (Writer w =
            new BufferedWriter(Files.newBufferedWriter(target, StandardCharsets.UTF_8), 1 << 16)) {
          JsonLinesWriter lines = new JsonLinesWriter(w);
          // Every call completes, so ops/2 calls (rounded up) are ops lines.
          SimulatedKvHistory.stream(seed, (ops + 1) / 2, KEYS, CLIENTS, INFO_PERCENT, lines::write);
        }
        out.printf(
            Locale.ROOT,
            "generated %d ops (seed %d) in %.2f s: %s, %.1f MB%n",
            ops,
            seed,
            (System.nanoTime() - t0) / 1e9,
            target,
            Files.size(target) / 1e6);
      }
      HistoryFormat used = HistoryInput.formatOf(target, format);
      Runtime rt = Runtime.getRuntime();
      out.printf(
          Locale.ROOT,
          "java %s, %d cores, max heap %d MB; format %s%n",
          System.getProperty("java.version"),
          rt.availableProcessors(),
          rt.maxMemory() >> 20,
          used.cliName());
      History warm = HistoryFiles.read(target, used);
      out.printf(Locale.ROOT, "warm-up read: %d ops%n", warm.size());
      warm = null;
      double best = Double.MAX_VALUE;
      double total = 0;
      History h = null;
      for (int r = 1; r <= runs; r++) {
        h = null;
        System.gc();
        long t0 = System.nanoTime();
        h = HistoryFiles.read(target, used);
        double secs = (System.nanoTime() - t0) / 1e9;
        best = Math.min(best, secs);
        total += secs;
        out.printf(Locale.ROOT, "run %d: %.3f s, %.0f ops/s%n", r, secs, h.size() / secs);
      }
      System.gc();
      long heap = rt.totalMemory() - rt.freeMemory();
      int size = h.size();
      out.printf(
          Locale.ROOT,
          "read %d ops: best %.3f s (%.0f ops/s), mean %.3f s; heap used with the history held: %d MB%n",
          size,
          best,
          size / best,
          total / runs,
          heap >> 20);
      out.flush();
      return ExitCode.VALID;
    } finally {
      if (dir != null) {
        Files.deleteIfExists(target);
        Files.deleteIfExists(dir);
      }
    }
  }
}
