package dev.faultline.checker.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.faultline.checker.Candidate;
import dev.faultline.checker.CheckResult;
import dev.faultline.checker.Counterexample;
import dev.faultline.checker.KeyResult;
import dev.faultline.checker.Step;
import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.Values;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The data the timeline script draws, as JSON: ops as compact rows, each key's linearization, the
 * culprit and candidates, and the view to open on. At most {@value #MAX_OPS} ops are embedded,
 * those nearest the failure (or the start), so the page stays small for huge histories.
 */
final class TimelineData {
  private TimelineData() {}

  static final int MAX_OPS = 20_000;
  private static final JsonFactory JSON = new JsonFactory();

  static String json(History history, CheckResult result) {
    List<Call> calls = history.calls();
    int events = history.size();
    KeyResult bad = result.firstInvalid().orElse(null);
    Counterexample cex = bad == null ? null : bad.counterexample();
    int focusFrom;
    int focusTo;
    if (cex != null) {
      int pad = Math.max(10, (cex.windowTo() - cex.windowFrom()) / 2);
      focusFrom = Math.max(0, cex.windowFrom() - pad);
      focusTo = Math.min(events, cex.windowTo() + pad);
    } else {
      focusFrom = 0;
      focusTo = Math.min(events, 300);
    }
    int first = 0;
    while (first < calls.size() && calls.get(first).invoke().index() < focusFrom) {
      first++;
    }
    int lo = Math.max(0, Math.min(first - MAX_OPS / 2, calls.size() - MAX_OPS));
    int hi = Math.min(calls.size(), lo + MAX_OPS);
    Set<Integer> embedded = new HashSet<>();
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("verdict", result.verdict().wireName());
      g.writeNumberField("events", events);
      g.writeNumberField("omitted", calls.size() - (hi - lo));
      g.writeArrayFieldStart("focus");
      g.writeNumber(focusFrom);
      g.writeNumber(Math.max(focusTo, focusFrom + 8));
      g.writeEndArray();
      g.writeArrayFieldStart("ops");
      for (int i = lo; i < hi; i++) {
        Call c = calls.get(i);
        embedded.add(c.invoke().index());
        g.writeStartArray();
        g.writeNumber(c.process());
        g.writeNumber(c.invoke().index());
        g.writeNumber(c.completion() == null ? -1 : c.completion().index());
        g.writeNumber(
            switch (c.outcome()) {
              case OK -> 0;
              case FAIL -> 1;
              case INFO -> 2;
              case PENDING -> 3;
            });
        g.writeString(c.key() == null ? "" : Values.show(c.key()));
        g.writeString(describe(c));
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("lin");
      for (KeyResult k : result.keys()) {
        writeLinearization(g, k, embedded);
      }
      g.writeEndArray();
      g.writeNumberField("culprit", cex == null ? -1 : cex.culprit());
      g.writeObjectFieldStart("candidates");
      if (cex != null) {
        for (Candidate c : cex.candidates()) {
          g.writeStringField(Integer.toString(c.op()), c.reason());
        }
      }
      g.writeEndObject();
      g.writeArrayFieldStart("nemesis");
      for (Op op : history.nemesisEvents()) {
        if (op.index() >= focusFrom - MAX_OPS && op.index() <= focusTo + MAX_OPS) {
          g.writeStartArray();
          g.writeNumber(op.index());
          g.writeString(op.toString());
          g.writeString(op.f());
          g.writeEndArray();
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  // Only steps of embedded ops are written, each with the state before it, so the page holds no
  // more steps than ops however long the linearization is.
  private static void writeLinearization(JsonGenerator g, KeyResult k, Set<Integer> embedded)
      throws IOException {
    String before = k.initialState() == null ? "" : k.initialState();
    g.writeStartObject();
    g.writeStringField("key", k.key() == null ? "" : Values.show(k.key()));
    g.writeArrayFieldStart("steps");
    int n = 0;
    for (Step s : k.linearization()) {
      n++;
      if (embedded.contains(s.op())) {
        g.writeStartArray();
        g.writeNumber(s.op());
        g.writeNumber(n);
        g.writeString(s.description());
        g.writeString(before);
        g.writeString(s.stateAfter());
        g.writeEndArray();
      }
      before = s.stateAfter();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static String describe(Call c) {
    StringBuilder b = new StringBuilder();
    b.append('#').append(c.invoke().index()).append(" process ").append(c.process()).append(": ");
    b.append(c.f());
    if (c.key() != null) {
      b.append(' ').append(Values.show(c.key()));
    }
    b.append(' ').append(Values.show(c.invoke().value()));
    if (c.completion() != null) {
      b.append(" → ").append(c.completion().type().wireName());
      b.append(' ').append(Values.show(c.completion().value()));
      if (c.completion().error() != null) {
        b.append(" (").append(c.completion().error()).append(')');
      }
    } else {
      b.append(" → no completion");
    }
    return b.toString();
  }
}
