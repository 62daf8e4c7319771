package dev.faultline.checker;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.faultline.histories.Keyword;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a {@link CheckResult} as {@code results.json}, schema {@value #SCHEMA} (documented in
 * docs/CHECKER.md). Fields are only ever added, never renamed, within one schema version.
 */
public final class ResultsJson {
  private ResultsJson() {}

  /** The schema identifier written as the document's {@code schema} field. */
  public static final String SCHEMA = "faultline-check/1";

  private static final JsonFactory JSON = new JsonFactory();

  /** Writes the result to {@code file} (through a temporary file and a rename). */
  public static void write(CheckResult result, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".results", ".json.tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        write(result, out);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes the result as pretty-printed JSON to a stream, leaving it open. */
  public static void write(CheckResult r, OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("schema", SCHEMA);
      g.writeStringField("verdict", r.verdict().wireName());
      g.writeStringField("model", r.model());
      g.writeStringField("model_reason", r.modelReason());
      g.writeBooleanField("split", r.split());
      g.writeNumberField("ops", r.ops());
      g.writeNumberField("elapsed_ms", r.nanos() / 1e6);
      g.writeStringField("reason", r.reason());
      int[] counts = new int[3];
      for (KeyResult k : r.keys()) {
        counts[k.verdict().ordinal()]++;
      }
      g.writeObjectFieldStart("key_counts");
      g.writeNumberField("total", r.keys().size());
      g.writeNumberField("valid", counts[0]);
      g.writeNumberField("invalid", counts[1]);
      g.writeNumberField("unknown", counts[2]);
      g.writeEndObject();
      g.writeArrayFieldStart("keys");
      for (KeyResult k : r.keys()) {
        writeKey(g, k);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void writeKey(JsonGenerator g, KeyResult k) throws IOException {
    g.writeStartObject();
    g.writeFieldName("key");
    writeValue(g, k.key());
    g.writeStringField("verdict", k.verdict().wireName());
    g.writeBooleanField("decided", k.decided());
    g.writeNumberField("ops", k.ops());
    g.writeNumberField("searched", k.searched());
    g.writeNumberField("elapsed_ms", k.nanos() / 1e6);
    g.writeStringField("reason", k.reason());
    g.writeNumberField("steps", k.steps());
    g.writeNumberField("memo_entries", k.memoEntries());
    g.writeStringField("initial_state", k.initialState());
    g.writeArrayFieldStart("linearization");
    for (Step s : k.linearization()) {
      g.writeStartObject();
      g.writeNumberField("op", s.op());
      g.writeStringField("does", s.description());
      g.writeStringField("state", s.stateAfter());
      g.writeEndObject();
    }
    g.writeEndArray();
    Counterexample c = k.counterexample();
    if (c == null) {
      g.writeNullField("counterexample");
    } else {
      g.writeObjectFieldStart("counterexample");
      g.writeObjectFieldStart("culprit");
      g.writeNumberField("op", c.culprit());
      g.writeNumberField("completion", c.culpritCompletion());
      g.writeStringField("does", c.culpritDescription());
      g.writeEndObject();
      g.writeArrayFieldStart("states");
      for (String s : c.states()) {
        g.writeString(s);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("candidates");
      for (Candidate cand : c.candidates()) {
        g.writeStartObject();
        g.writeNumberField("op", cand.op());
        g.writeStringField("does", cand.description());
        g.writeStringField("reason", cand.reason());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("window");
      g.writeNumberField("from", c.windowFrom());
      g.writeNumberField("to", c.windowTo());
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (v instanceof Keyword kw) {
      g.writeString(kw.toString());
    } else {
      g.writeString(String.valueOf(v));
    }
  }
}
