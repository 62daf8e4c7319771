package dev.faultline.testbed;

import dev.faultline.checker.Candidate;
import dev.faultline.checker.CheckOptions;
import dev.faultline.checker.CheckResult;
import dev.faultline.checker.Checker;
import dev.faultline.checker.Counterexample;
import dev.faultline.checker.KeyResult;
import dev.faultline.checker.ResultsEdn;
import dev.faultline.checker.ResultsJson;
import dev.faultline.checker.Verdict;
import dev.faultline.checker.model.Models;
import dev.faultline.checker.report.CheckReportPage;
import dev.faultline.histories.History;
import dev.faultline.histories.Values;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import dev.faultline.testbed.report.ReportWriter;
import dev.faultline.testbed.report.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faultline check}: decides whether a recorded history is linearizable, prints a verdict
 * line and a short summary, and optionally writes results.json and check.html.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check a history for linearizability (Wing-Gong-Lowe search, split by key, in parallel).",
      "Exit codes: 0 valid, 1 invalid, 2 unknown (budget spent), 3 error."
    })
public final class CheckCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The history file, or a run directory (its history.jsonl is checked).")
  Path file;

  @Option(
      names = "--model",
      defaultValue = "auto",
      description = "auto, register, cas-register, kv or set (default ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--format",
      defaultValue = "auto",
      description = "auto, jsonl, edn, jepsen-log or porcupine-kv (default ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      description = "Time budget, e.g. 60s, 500ms, 2m (default ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--threads",
      description = "Keys searched at once (default: the number of cores).")
  Integer threads;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "A folder (made when missing) to write results.json, check.html, history.jsonl,"
              + " report.html and junit.xml into.")
  Path out;

  @Option(names = "--no-split", description = "Check all keys as one object (kv model only).")
  boolean noSplit;

  @Option(
      names = "--all-keys",
      description =
          "Decide every key (default: stop the other keys' searches at the first invalid key).")
  boolean allKeys;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    if (Files.isDirectory(file)) {
      Path inRun = file.resolve(RunDirectory.HISTORY);
      if (!Files.isRegularFile(inRun)) {
        throw new IllegalArgumentException(
            file
                + ": a folder without "
                + RunDirectory.HISTORY
                + "; name a history file or a run directory");
      }
      file = inRun;
    }
    if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--out "
              + out
              + ": is a file, not a folder; --out names a folder (made when missing) for"
              + " results.json, check.html and the report");
    }
    HistoryFormat fmt = null;
    if (!format.equalsIgnoreCase("auto")) {
      fmt = HistoryFormat.fromCliName(format);
      if (fmt == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--format "
                + format
                + ": not a format; use auto, jsonl, edn, jepsen-log or porcupine-kv");
      }
    }
    CheckOptions options =
        CheckOptions.defaults()
            .withTimeout(timeout(timeout))
            .withSplit(!noSplit)
            .withStopAtFirstInvalid(!allKeys);
    if (threads != null) {
      if (threads < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--threads " + threads + ": must be at least 1");
      }
      options = options.withThreads(threads);
    }
    if (!model.equals("auto")) {
      options = options.withModel(Models.named(model));
    }
    HistoryFormat used = HistoryInput.formatOf(file, fmt);
    History history = HistoryInput.read(file, used);
    CheckResult r = Checker.check(history, options);
    print(o, r, used, history);
    if (out != null) {
      ResultsJson.write(r, out.resolve("results.json"));
      ResultsEdn.write(r, out.resolve("results.edn"));
      CheckReportPage.write(history, r, out.resolve("check.html"));
      // The same page a test run gets, so a history recorded elsewhere reads like one of ours.
      HistoryFiles.write(history, out.resolve("history.jsonl"), HistoryFormat.JSONL);
      ReportWriter.Written page = ReportWriter.write(out);
      o.println(
          "wrote "
              + out.resolve("results.json")
              + ", "
              + out.resolve("results.edn")
              + ", "
              + out.resolve("check.html")
              + ", "
              + page.report()
              + " and "
              + page.junit());
    }
    o.flush();
    return switch (r.verdict()) {
      case VALID -> ExitCode.VALID;
      case INVALID -> ExitCode.INVALID;
      case UNKNOWN -> ExitCode.UNKNOWN;
    };
  }

  private void print(PrintWriter o, CheckResult r, HistoryFormat used, History history) {
    int[] counts = new int[3];
    for (KeyResult k : r.keys()) {
      counts[k.verdict().ordinal()]++;
    }
    o.printf(
        Locale.ROOT,
        "%s  %s (%d ops, %d calls, %d key%s, %.1f ms)%n",
        r.verdict().name(),
        file,
        // Ops as `history stats` counts them (every line, nemesis events included); a call is an
        // invocation with its completion.
        history.size(),
        r.ops(),
        r.keys().size(),
        r.keys().size() == 1 ? "" : "s",
        r.nanos() / 1e6);
    o.println("  format: " + used.cliName());
    o.println("  model:  " + r.model() + " (" + r.modelReason() + ")");
    o.printf(
        Locale.ROOT,
        "  keys:   %d valid, %d invalid, %d unknown%s%n",
        counts[0],
        counts[1],
        counts[2],
        r.split() ? "" : " (checked as one partition)");
    if (r.reason() != null) {
      o.println("  reason: " + r.reason());
    }
    r.firstInvalid()
        .ifPresent(
            k -> {
              Counterexample c = k.counterexample();
              o.println(
                  "  culprit: op #"
                      + c.culprit()
                      + " ("
                      + c.culpritDescription()
                      + ")"
                      + (k.key() == null ? "" : " on key " + Values.show(k.key()))
                      + " cannot be linearized after a prefix of "
                      + k.linearization().size()
                      + " ops; states there: "
                      + String.join(" | ", c.states()));
              int shown = 0;
              for (Candidate cand : c.candidates()) {
                if (shown++ == 5) {
                  o.println("    … " + (c.candidates().size() - 5) + " more candidates");
                  break;
                }
                o.println("    #" + cand.op() + " " + cand.description() + ": " + cand.reason());
              }
            });
    if (r.verdict() == Verdict.UNKNOWN && r.reason() == null) {
      o.println("  some keys could not be decided");
    }
  }

  /** The check's budget from {@code --timeout}, by the one duration grammar. */
  static Duration timeout(String text) {
    try {
      return DurationConverter.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--timeout " + e.getMessage());
    }
  }
}
