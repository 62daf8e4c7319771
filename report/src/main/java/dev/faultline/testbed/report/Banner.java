package dev.faultline.testbed.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.histories.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The verdict of a run in plain words: what it means for this run and, for an invalid one, what
 * broke, told from the checker's counterexample (culprit op and the states the system could have
 * been in) and the history around it.
 *
 * @param verdict {@code valid}, {@code invalid}, {@code unknown}, {@code failed} (the run itself
 *     failed, as the runner writes it), or {@code none} (no results)
 * @param headline one sentence saying what the verdict means here
 * @param details further sentences: what broke, why undecided, what is missing
 * @param culprit the culprit's invocation index in the history, or -1
 * @param warnings what the verdict rests on that is thin (results.json's {@code warnings}: nodes
 *     that never came back, keys never read, fault windows with no successful call, an interrupted
 *     run), one sentence each; empty when none
 */
public record Banner(
    String verdict, String headline, List<String> details, int culprit, List<String> warnings) {

  public Banner {
    details = List.copyOf(details);
    warnings = List.copyOf(warnings);
  }

  /** A banner with no warnings. */
  public Banner(String verdict, String headline, List<String> details, int culprit) {
    this(verdict, headline, details, culprit, List.of());
  }

  /** Builds the banner from results.json (null when missing or unreadable) and the history. */
  public static Banner of(RunResults results, History history) {
    String verdict = verdictOf(results);
    List<String> details = new ArrayList<>();
    int culprit = -1;
    String headline;
    switch (verdict) {
      case "valid" -> {
        Long ops = results.ops() == null ? null : results.ops().total();
        String model = results.model();
        headline =
            "Valid: every result the clients saw fits one order of the operations that respects"
                + " real time, so no consistency violation was found"
                + (ops == null ? "" : " among " + ops + " operations")
                + (model == null ? "" : " (model: " + model + ")")
                + ".";
        details.add(
            "This shows the history is linearizable; it does not prove the system is correct"
                + " under every schedule.");
      }
      case "invalid" -> {
        headline =
            "Invalid: no order of the operations that respects real time explains what the"
                + " clients saw, so the system broke linearizability.";
        JsonNode holder = results.counterexampleKey();
        JsonNode cex = holder == null ? null : holder.get("counterexample");
        if (cex != null) {
          culprit = cex.at("/culprit/op").isNumber() ? cex.at("/culprit/op").asInt() : -1;
          details.add(whatBroke(holder, cex, history));
        } else if (results.workloadAnalysis() != null
            && results.workloadAnalysis().summary() != null) {
          details.add(
              "The workload's own analysis failed: " + results.workloadAnalysis().summary());
        } else {
          details.add("results.json names no culprit operation; see the checker's results.");
        }
      }
      case "unknown" -> {
        String reason = results.reason();
        headline =
            "Unknown: the checker could not decide within its budget, so this run neither shows"
                + " a violation nor shows that there is none.";
        if (reason != null) {
          details.add("Why: " + reason + ".");
        }
      }
      case "failed" -> {
        headline =
            "Failed: the run itself could not be carried out or checked, so there is no verdict"
                + " on the system.";
        String error = results.error();
        if (error != null) {
          details.add("Why: " + error);
        }
      }
      default ->
          headline =
              results == null
                  ? "No verdict: results.json is missing, so the run did not finish or was not"
                      + " checked."
                  : "No verdict: results.json holds no verdict field.";
    }
    if (history == null) {
      details.add("The history could not be read, so the charts below are empty.");
    }
    List<String> warnings = results == null ? List.of() : results.warnings();
    return new Banner(verdict, headline, details, culprit, warnings);
  }

  /**
   * The verdict in one line, for a CI system's failure message: for invalid, what broke; for
   * unknown and failed, the verdict and why; otherwise the headline.
   */
  public String summary() {
    if (verdict.equals("invalid") && !details.isEmpty()) {
      return details.get(0);
    }
    if (verdict.equals("unknown") || verdict.equals("failed")) {
      for (String d : details) {
        if (d.startsWith("Why: ")) {
          return verdict + ": " + d.substring("Why: ".length());
        }
      }
    }
    return headline;
  }

  /** The run's verdict as written in results.json, lower case, or {@code none}. */
  public static String verdictOf(RunResults results) {
    String v = results == null ? null : results.verdict();
    if (v == null) {
      return "none";
    }
    v = v.toLowerCase(Locale.ROOT);
    return switch (v) {
      case "valid", "invalid", "unknown", "failed" -> v;
      default -> "none";
    };
  }

  private static String whatBroke(JsonNode keyResult, JsonNode cex, History history) {
    int inv = cex.at("/culprit/op").isNumber() ? cex.at("/culprit/op").asInt() : -1;
    int done =
        cex.at("/culprit/completion").isNumber() ? cex.at("/culprit/completion").asInt() : -1;
    String does = cex.at("/culprit/does").asText(null);
    List<String> states = new ArrayList<>();
    JsonNode st = cex.get("states");
    if (st != null) {
      st.forEach(s -> states.add(s.asText()));
    }
    String could =
        states.isEmpty()
            ? ""
            : "; at that point the key could only have been " + String.join(" or ", states);
    Op invoke = opAt(history, inv);
    Op completion = opAt(history, done);
    if (invoke != null) {
      String story = CulpritStory.ofRead(history, invoke, completion, states);
      if (story != null) {
        return story;
      }
    }
    if (invoke == null) {
      JsonNode k = keyResult.get("key");
      String key = k == null || k.isNull() ? null : k.isValueNode() ? k.asText() : k.toString();
      return "Op #"
          + inv
          + (does == null ? "" : " (" + does + ")")
          + (key == null ? "" : " on key " + key)
          + " cannot take effect anywhere between its invocation and its completion"
          + could
          + ".";
    }
    StringBuilder b = new StringBuilder();
    String key = invoke.key() == null ? "" : " of key " + Values.show(invoke.key());
    String node = completion != null && completion.node() != null ? " on " + completion.node() : "";
    if (invoke.f().equals("read") && completion != null && completion.type() == OpType.OK) {
      b.append("A read")
          .append(key)
          .append(node)
          .append(" returned ")
          .append(Values.show(completion.value()));
      Op write = lastAcknowledgedWrite(history, invoke);
      if (write != null) {
        b.append(" after a ")
            .append(write.f())
            .append(" of ")
            .append(Values.show(write.value()))
            .append(" had been acknowledged")
            .append(write.node() == null ? "" : " by " + write.node())
            .append(" (op #")
            .append(write.index())
            .append(")");
      }
    } else {
      b.append("A ")
          .append(invoke.f())
          .append(key)
          .append(node)
          .append(" (")
          .append(does == null ? Values.show(invoke.value()) : does)
          .append(completion == null ? ", no completion" : ", " + completion.type().wireName())
          .append(") cannot take effect anywhere between its invocation and its completion");
    }
    b.append(" (process ")
        .append(invoke.process())
        .append(", op #")
        .append(invoke.index())
        .append(completion == null ? "" : " completed at #" + completion.index())
        .append(')')
        .append(could)
        .append('.');
    return b.toString();
  }

  private static Op opAt(History history, int index) {
    if (history == null || index < 0 || index >= history.size()) {
      return null;
    }
    return history.get(index);
  }

  /**
   * The write-like completion (write, cas, put, append, delete) on the read's key that was
   * acknowledged last before the read was invoked.
   */
  static Op lastAcknowledgedWrite(History history, Op read) {
    Op best = null;
    for (int i = read.index() - 1; i >= 0; i--) {
      Op op = history.get(i);
      if (op.isNemesis() || op.type() != OpType.OK || !Objects.equals(op.key(), read.key())) {
        continue;
      }
      switch (op.f()) {
        case "write", "cas", "put", "append", "delete" -> best = op;
        default -> {}
      }
      if (best != null) {
        // A cas shows the value it wrote, not [expected new].
        return best.f().equals("cas") && best.value() instanceof List<?> l && l.size() == 2
            ? best.withValue(l.get(1))
            : best;
      }
    }
    return null;
  }
}
