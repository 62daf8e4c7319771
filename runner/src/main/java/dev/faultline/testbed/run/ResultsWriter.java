package dev.faultline.testbed.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.faultline.checker.CheckResult;
import dev.faultline.checker.ResultsJson;
import dev.faultline.histories.History;
import dev.faultline.histories.Keyword;
import dev.faultline.nemesis.Fault;
import dev.faultline.testbed.plan.PlannedFault;
import dev.faultline.testbed.report.Availability;
import dev.faultline.testbed.report.FunctionStats;
import dev.faultline.testbed.report.RunResults;
import dev.faultline.workloads.WorkloadAnalysis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes a run's {@code test.json} (what was asked) and {@code results.json} (a {@link RunResults},
 * documented in docs/RESULTS.md: what happened and the verdict).
 */
public final class ResultsWriter {
  private ResultsWriter() {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What a run produced, gathered for results.json. */
  public record Facts(
      TestOptions options,
      RunVerdict verdict,
      Optional<String> error,
      Instant started,
      Instant finished,
      String network,
      History history,
      List<FaultDriver.Entry> faults,
      List<String> nemesisProblems,
      List<String> healProblems,
      List<String> unreadKeys,
      Optional<CheckResult> check,
      Optional<WorkloadAnalysis> analysis,
      Availability availability,
      VerdictBasis basis,
      Map<String, Object> timeline) {}

  public static Map<String, Object> testJson(
      TestOptions options, List<String> commandLine, String commit, Instant started) {
    var m = new LinkedHashMap<String, Object>();
    m.put("schema", "faultline-test-options/1");
    m.put("started", started.toString());
    m.put("commit", commit);
    m.put("command_line", commandLine);
    m.put("seed", options.seed());
    m.put("options", options.toMap());
    m.put("system", system(options));
    m.put("java", System.getProperty("java.version"));
    m.put("host", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return m;
  }

  /** The run's results.json, schema {@value RunResults#SCHEMA}. */
  public static RunResults results(Facts f, Path nodeLogs) throws IOException {
    return new RunResults(
        RunResults.SCHEMA,
        f.verdict().wireName(),
        f.verdict().exitCode(),
        f.error().orElse(null),
        f.basis().interrupted().isPresent(),
        f.basis().warnings(),
        f.options().seed(),
        f.options().workload(),
        f.options().nemesis().spec(),
        f.options().bug().orElse(null),
        f.options().nodes(),
        tree(system(f.options())),
        f.network(),
        f.started().toString(),
        f.finished().toString(),
        Math.round((f.finished().toEpochMilli() - f.started().toEpochMilli()) / 100.0) / 10.0,
        RunResults.Ops.of(FunctionStats.of(f.history())),
        tree(f.availability().toMap()),
        f.faults().stream().map(e -> tree(fault(e))).toList(),
        disk(f.faults(), nodeLogs).stream().map(ResultsWriter::tree).toList(),
        f.nemesisProblems(),
        f.healProblems(),
        f.unreadKeys(),
        tree(f.basis().toMap()),
        f.check().isPresent() ? checkJson(f.check().get()) : null,
        f.analysis()
            .map(a -> new RunResults.Analysis(a.valid(), a.summary(), tree(plain(a.toMap()))))
            .orElse(null),
        f.timeline() == null ? null : tree(f.timeline()));
  }

  private static JsonNode tree(Object value) {
    return JSON.valueToTree(plain(value));
  }

  /** The system under test: its name, the version of its programs and its options. */
  static Map<String, Object> system(TestOptions options) {
    var sut = options.systemUnderTest();
    var m = new LinkedHashMap<String, Object>();
    m.put("name", sut.name());
    m.put("version", sut.version());
    m.put("options", sut.options());
    options.system().command().ifPresent(c -> m.put("command", c));
    return m;
  }

  /** Writes {@code value} as pretty JSON through a temporary file and a rename. */
  public static void write(Path file, Object value) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + "." + System.nanoTime() + ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), plain(value));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Makes a file written through a private temporary file readable like the run's others. */
  public static void shareable(Path file) throws IOException {
    if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static Map<String, Object> fault(FaultDriver.Entry e) {
    var m = new LinkedHashMap<String, Object>();
    m.put("kind", e.kind().cliName());
    m.put("fault", e.fault().label());
    m.put("start_s", e.startNanos() / 1e9);
    m.put("stop_s", e.stopNanos() / 1e9);
    m.put("targets", e.fault().targets());
    m.put("params", plain(e.fault().params()));
    m.put("start_error", e.started() == null ? "not started" : e.started().error().orElse(null));
    m.put("stop_error", e.stopped().error().orElse(null));
    if (e.started() != null && e.started().value().containsKey("damage")) {
      m.put("damage", plain(e.started().value().get("damage")));
    }
    if (e.stopped().value().containsKey("nodes")) {
      m.put("nodes_after", plain(e.stopped().value().get("nodes")));
    }
    return m;
  }

  /**
   * For each disk fault, whether the damaged node came up (its store truncated the damaged tail) or
   * refused to start, with the lines of its log that mention the damage.
   */
  private static List<Map<String, Object>> disk(List<FaultDriver.Entry> faults, Path nodeLogs)
      throws IOException {
    var out = new ArrayList<Map<String, Object>>();
    for (FaultDriver.Entry e : faults) {
      if (!(e.fault() instanceof PlannedFault.OnNodes onNodes)) {
        continue;
      }
      Fault.Kind k = onNodes.fault().kind();
      if (k != Fault.Kind.WAL_TRUNCATE && k != Fault.Kind.WAL_BITFLIP) {
        continue;
      }
      String node = e.fault().targets().get(0);
      Object states = e.stopped().value().get("nodes");
      String state =
          states instanceof Map<?, ?> map && map.get(node) != null
              ? map.get(node).toString()
              : "unknown";
      var m = new LinkedHashMap<String, Object>();
      m.put("node", node);
      m.put("fault", k == Fault.Kind.WAL_TRUNCATE ? "truncate" : "bitflip");
      m.put("damage", e.started() == null ? null : plain(e.started().value().get("damage")));
      m.put("start_error", e.started() == null ? "not started" : e.started().error().orElse(null));
      List<String> lines = damageLines(nodeLogs.resolve(node));
      m.put("outcome", diskOutcome(state));
      m.put("node_state", state);
      m.put(
          "truncated_torn_tail",
          lines.stream().anyMatch(l -> l.toLowerCase(Locale.ROOT).contains("truncat")));
      m.put("log_lines", lines);
      out.add(m);
    }
    return out;
  }

  /**
   * {@code came-up} (ready: it knows a leader again), {@code refused-to-start} (it exited), or
   * {@code running-not-ready} (its process runs but it named no leader within the wait).
   */
  static String diskOutcome(String state) {
    if (state.equals("ready")) {
      return "came-up";
    }
    if (state.startsWith("exited")) {
      return "refused-to-start";
    }
    return "running-not-ready";
  }

  private static List<String> damageLines(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    var lines = new java.util.LinkedHashSet<String>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        try (Stream<String> s = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
          s.filter(l -> !lines.contains(l))
              .filter(
                  l -> {
                    String low = l.toLowerCase(Locale.ROOT);
                    return low.contains("torn")
                        || low.contains("truncat")
                        || low.contains("corrupt");
                  })
              .limit(5 - lines.size())
              .forEach(l -> lines.add(l.length() > 300 ? l.substring(0, 300) : l));
        }
        if (lines.size() >= 5) {
          break;
        }
      }
    }
    return List.copyOf(lines);
  }

  private static JsonNode checkJson(CheckResult check) throws IOException {
    var buffer = new ByteArrayOutputStream();
    ResultsJson.write(check, buffer);
    return JSON.readTree(buffer.toByteArray());
  }

  /** History values (keywords, big integers, nested maps) as JSON-ready values. */
  static Object plain(Object v) {
    if (v instanceof Map<?, ?> map) {
      var out = new LinkedHashMap<String, Object>();
      map.forEach((k, x) -> out.put(String.valueOf(plain(k)), plain(x)));
      return out;
    }
    if (v instanceof List<?> list) {
      return list.stream().map(ResultsWriter::plain).toList();
    }
    if (v instanceof java.util.Set<?> set) {
      return set.stream().map(ResultsWriter::plain).toList();
    }
    if (v instanceof Keyword || v instanceof BigInteger || v instanceof Path) {
      return v.toString();
    }
    if (v instanceof Optional<?> o) {
      return o.map(ResultsWriter::plain).orElse(null);
    }
    return v;
  }
}
