package dev.faultline.testbed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.faultline.histories.History;
import dev.faultline.histories.HistoryStats;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.histories.format.HistoryFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faultline history stats FILE}: what a history holds, for a person or (--json) a tool. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Summarise a history: ops by function and type, per process, per key (top 20), the most"
          + " invocations open at once, pending and info counts, and the time span.",
      "Exit codes: 0 read, 3 the file is missing or malformed (FILE:LINE:COLUMN on stderr)."
    })
final class HistoryStatsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The history file.")
  Path file;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "auto (default: detect from content), jsonl, edn, jepsen-log, porcupine-kv.")
  HistoryFormat format;

  @Option(names = "--json", description = "Print the statistics as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    HistoryFormat used = HistoryInput.formatOf(file, format);
    History h = HistoryInput.read(file, used);
    HistoryStats s = HistoryStats.of(h);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      out.println(mapper.writeValueAsString(asJson(s, used)));
    } else {
      printText(out, s, used);
    }
    out.flush();
    return ExitCode.VALID;
  }

  private Map<String, Object> asJson(HistoryStats s, HistoryFormat used) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", file.toString());
    m.put("format", used.cliName());
    m.put("ops", s.ops());
    m.put("nemesis_events", s.nemesisEvents());
    Map<String, Object> byF = new LinkedHashMap<>();
    s.byFunction()
        .forEach(
            (f, types) -> {
              Map<String, Long> t = new LinkedHashMap<>();
              for (OpType type : OpType.values()) {
                t.put(type.wireName(), types.getOrDefault(type, 0L));
              }
              byF.put(f, t);
            });
    m.put("by_function", byF);
    m.put("processes", s.processes());
    m.put("top_processes", counts(s.topProcesses()));
    m.put("keys", s.keys());
    m.put("top_keys", counts(s.topKeys()));
    m.put("max_concurrency", s.maxConcurrency());
    m.put("pending", s.pending());
    m.put("info", s.info());
    m.put("first_time_ns", s.firstTime() == Op.NO_TIME ? null : s.firstTime());
    m.put("last_time_ns", s.lastTime() == Op.NO_TIME ? null : s.lastTime());
    m.put("span_ns", s.span() == Op.NO_TIME ? null : s.span());
    return m;
  }

  private static List<Map<String, Object>> counts(List<HistoryStats.Count> counts) {
    return counts.stream()
        .map(c -> Map.<String, Object>of("name", c.name(), "ops", c.ops()))
        .toList();
  }

  private void printText(PrintWriter out, HistoryStats s, HistoryFormat used) {
    out.printf(
        Locale.ROOT,
        "%s (%s): %d ops, %d nemesis events%n",
        file,
        used.cliName(),
        s.ops(),
        s.nemesisEvents());
    if (s.span() == Op.NO_TIME) {
      out.println("time span:       (no times recorded)");
    } else {
      out.printf(
          Locale.ROOT,
          "time span:       %.3f s (%d ns to %d ns)%n",
          s.span() / 1e9,
          s.firstTime(),
          s.lastTime());
    }
    out.printf(Locale.ROOT, "max concurrency: %d open invocations%n", s.maxConcurrency());
    out.printf(Locale.ROOT, "unknown outcome: %d info, %d pending%n", s.info(), s.pending());
    out.println();
    int width =
        Math.max(8, s.byFunction().keySet().stream().mapToInt(String::length).max().orElse(0));
    out.printf(
        Locale.ROOT, "%-" + width + "s %9s %9s %9s %9s%n", "f", "invoke", "ok", "fail", "info");
    s.byFunction()
        .forEach(
            (f, t) ->
                out.printf(
                    Locale.ROOT,
                    "%-" + width + "s %9d %9d %9d %9d%n",
                    f,
                    t.getOrDefault(OpType.INVOKE, 0L),
                    t.getOrDefault(OpType.OK, 0L),
                    t.getOrDefault(OpType.FAIL, 0L),
                    t.getOrDefault(OpType.INFO, 0L)));
    out.println();
    printTop(out, "processes", s.processes(), s.topProcesses());
    if (s.keys() > 0) {
      out.println();
      printTop(out, "keys", s.keys(), s.topKeys());
    }
  }

  private static void printTop(
      PrintWriter out, String what, int total, List<HistoryStats.Count> top) {
    out.printf(
        Locale.ROOT,
        "%s: %d%s%n",
        what,
        total,
        total > top.size() ? " (busiest " + top.size() + " shown)" : "");
    for (HistoryStats.Count c : top) {
      out.printf(Locale.ROOT, "  %-16s %9d ops%n", c.name(), c.ops());
    }
  }
}
