package dev.faultline.testbed.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code results.json}: what the runner writes and what the report and {@code serve} read,
 * field for field (documented in docs/RESULTS.md). The runner writes schema {@value #SCHEMA}; an
 * older {@value #SCHEMA_1} file and the checker's own {@code faultline-check/1} (as {@code
 * faultline check --out} leaves it) are read into the same record, so nothing downstream guesses
 * where a field might be.
 *
 * @param schema the schema the file was written in
 * @param verdict {@code valid}, {@code invalid}, {@code unknown} or {@code failed}
 * @param ops how many client calls the history holds, and how they ended per function
 * @param check the checker's result ({@code faultline-check/1}), or null when nothing was checked
 * @param timeline where time 0 is (the workload's start, as a wall-clock instant), the events
 *     before it (negative seconds) and each phase's seconds; missing (null node) in runs written
 *     before it existed, whose time 0 is test.json's {@code started}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder(alphabetic = false)
public record RunResults(
    String schema,
    String verdict,
    @JsonProperty("exit_code") Integer exitCode,
    String error,
    boolean interrupted,
    List<String> warnings,
    Long seed,
    String workload,
    String nemesis,
    String bug,
    Integer nodes,
    JsonNode system,
    String network,
    String started,
    String finished,
    @JsonProperty("elapsed_s") Double elapsedSeconds,
    Ops ops,
    JsonNode availability,
    List<JsonNode> faults,
    List<JsonNode> disk,
    @JsonProperty("nemesis_problems") List<String> nemesisProblems,
    @JsonProperty("heal_problems") List<String> healProblems,
    @JsonProperty("unread_keys") List<String> unreadKeys,
    JsonNode basis,
    JsonNode check,
    @JsonProperty("workload_analysis") Analysis workloadAnalysis,
    JsonNode timeline) {

  /** The schema the runner writes. */
  public static final String SCHEMA = "faultline-test/2";

  /** The schema before {@code ops.by_f} carried {@code calls}; still read. */
  public static final String SCHEMA_1 = "faultline-test/1";

  /** The checker's own results.json, as {@code faultline check --out} writes it; read too. */
  public static final String CHECK_SCHEMA = "faultline-check/1";

  private static final ObjectMapper JSON = new ObjectMapper();

  public RunResults {
    system = present(system);
    availability = present(availability);
    basis = present(basis);
    check = present(check);
    timeline = present(timeline);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    faults = faults == null ? List.of() : List.copyOf(faults);
    disk = disk == null ? List.of() : List.copyOf(disk);
    nemesisProblems = nemesisProblems == null ? List.of() : List.copyOf(nemesisProblems);
    healProblems = healProblems == null ? List.of() : List.copyOf(healProblems);
    unreadKeys = unreadKeys == null ? List.of() : List.copyOf(unreadKeys);
  }

  /**
   * The client calls of the history.
   *
   * @param total every call, completed or pending
   * @param byFunction per function ({@code read}, {@code write}, ...) in order of first invocation
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Ops(long total, @JsonProperty("by_f") Map<String, Tally> byFunction) {
    public Ops {
      byFunction =
          byFunction == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byFunction));
    }

    /** The counts of {@link FunctionStats#of}, which both the runner and the report use. */
    public static Ops of(List<FunctionStats> stats) {
      var by = new LinkedHashMap<String, Tally>();
      long total = 0;
      for (FunctionStats s : stats) {
        if (s.f().equals(FunctionStats.ALL)) {
          total = s.calls();
        } else {
          by.put(s.f(), new Tally((long) s.calls(), s.ok(), s.fail(), s.info(), s.pending()));
        }
      }
      return new Ops(total, by);
    }

    /** The same counts as {@link FunctionStats}, the totals last as {@code all}. */
    public List<FunctionStats> stats() {
      var out = new ArrayList<FunctionStats>();
      int[] all = new int[5];
      byFunction.forEach(
          (f, t) -> {
            out.add(
                new FunctionStats(
                    f,
                    t.calls().intValue(),
                    (int) t.ok(),
                    (int) t.fail(),
                    (int) t.info(),
                    (int) t.pending()));
            all[0] += t.calls().intValue();
            all[1] += (int) t.ok();
            all[2] += (int) t.fail();
            all[3] += (int) t.info();
            all[4] += (int) t.pending();
          });
      out.add(new FunctionStats(FunctionStats.ALL, all[0], all[1], all[2], all[3], all[4]));
      return List.copyOf(out);
    }
  }

  /**
   * How the calls of one function ended; {@code calls == ok + fail + info + pending} (schema 1
   * files carry no {@code calls}: it is summed on reading).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Tally(Long calls, long ok, long fail, long info, long pending) {
    public Tally {
      if (calls == null) {
        calls = ok + fail + info + pending;
      }
    }
  }

  /** The workload's own analysis (the set workload's lost adds, for one). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Analysis(boolean valid, String summary, JsonNode figures) {
    public Analysis {
      figures = present(figures);
    }
  }

  /** A JSON {@code null} (Jackson reads one as a node) as Java's null. */
  private static JsonNode present(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  /**
   * Reads a results.json tree in any schema this version reads.
   *
   * @throws IllegalArgumentException naming the schema found and the ones read
   */
  public static RunResults of(JsonNode tree) {
    String schema = tree.path("schema").asText(null);
    if (SCHEMA.equals(schema) || SCHEMA_1.equals(schema)) {
      try {
        return JSON.treeToValue(tree, RunResults.class);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "results.json (" + schema + ") does not fit its schema: " + firstLine(e));
      }
    }
    if (CHECK_SCHEMA.equals(schema)) {
      return ofCheck(tree);
    }
    throw new IllegalArgumentException(
        "results.json has "
            + (schema == null ? "no schema field" : "schema " + schema)
            + "; this version reads "
            + String.join(", ", SCHEMA, SCHEMA_1, CHECK_SCHEMA));
  }

  /**
   * Reads {@code tree} as {@link #of} does, or notes on {@code problems} why not, naming {@code
   * where} (the file), and gives null.
   */
  public static RunResults orProblem(JsonNode tree, String where, List<String> problems) {
    if (tree == null) {
      return null;
    }
    try {
      return of(tree);
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
      return null;
    }
  }

  /** The results of {@code faultline check}: a verdict and the checker's result, nothing else. */
  private static RunResults ofCheck(JsonNode check) {
    JsonNode ops = check.get("ops");
    return new RunResults(
        CHECK_SCHEMA,
        check.path("verdict").asText(null),
        null,
        null,
        false,
        List.of(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        ops != null && ops.isNumber() ? new Ops(ops.asLong(), Map.of()) : null,
        null,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        null,
        check,
        null,
        null);
  }

  /**
   * The wall-clock instant of the history's time 0 that the runner recorded (the workload's start),
   * or null for a run written before it did so, whose time 0 is test.json's {@code started}.
   */
  public java.time.Instant timeOrigin() {
    String origin = timeline == null ? null : timeline.path("origin").asText(null);
    if (origin == null) {
      return null;
    }
    try {
      return java.time.Instant.parse(origin);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** The checker's model, or null when nothing was checked. */
  public String model() {
    return check == null ? null : check.path("model").asText(null);
  }

  /** Why the checker could not decide, or null. */
  public String reason() {
    return check == null ? null : check.path("reason").asText(null);
  }

  /** The first key result of the checker that carries a counterexample, or null. */
  public JsonNode counterexampleKey() {
    if (check == null) {
      return null;
    }
    for (JsonNode key : check.path("keys")) {
      JsonNode cex = key.get("counterexample");
      if (cex != null && !cex.isNull()) {
        return key;
      }
    }
    return null;
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
