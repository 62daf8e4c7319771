package dev.faultline.checker;

import dev.faultline.histories.format.EdnWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a {@link CheckResult} as {@code results.edn} in the shape Jepsen's checkers give theirs,
 * so that Jepsen-side tools can read a Faultline run: {@code :valid?} is {@code true}, {@code
 * false} or {@code :unknown}; as with {@code jepsen.independent}, {@code :results} maps each key to
 * its own result and {@code :failures} lists the invalid keys; an invalid key's result names the op
 * that could not be linearized ({@code :op}), the states the object could have been in ({@code
 * :configs}) and why each op that could have come next could not ({@code :cause}).
 */
public final class ResultsEdn {
  private ResultsEdn() {}

  /** Writes the result to {@code file} (through a temporary file and a rename). */
  public static void write(CheckResult result, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".results", ".edn.tmp");
    try {
      Files.writeString(tmp, text(result), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The result as EDN text. */
  public static String text(CheckResult r) {
    StringBuilder b = new StringBuilder();
    b.append("{:valid? ").append(valid(r.verdict()));
    b.append(",\n :checker \"faultline\"");
    b.append(",\n :model ").append(EdnWriter.value(r.model()));
    b.append(",\n :op-count ").append(r.ops());
    if (r.reason() != null) {
      b.append(",\n :error ").append(EdnWriter.value(r.reason()));
    }
    b.append(",\n :failures [");
    String sep = "";
    for (KeyResult k : r.keys()) {
      if (k.verdict() == Verdict.INVALID) {
        b.append(sep).append(EdnWriter.value(k.key()));
        sep = " ";
      }
    }
    b.append(']');
    b.append(",\n :results {");
    sep = "";
    for (KeyResult k : r.keys()) {
      b.append(sep).append(EdnWriter.value(k.key())).append(' ');
      keyResult(k, b);
      sep = ",\n           ";
    }
    b.append("}}\n");
    return b.toString();
  }

  private static void keyResult(KeyResult k, StringBuilder b) {
    b.append("{:valid? ").append(valid(k.verdict()));
    if (k.reason() != null) {
      b.append(", :error ").append(EdnWriter.value(k.reason()));
    }
    Counterexample c = k.counterexample();
    if (c != null) {
      b.append(", :op {:index ")
          .append(c.culprit())
          .append(", :completion-index ")
          .append(c.culpritCompletion())
          .append(", :description ")
          .append(EdnWriter.value(c.culpritDescription()))
          .append('}');
      b.append(", :previous-ok-count ").append(k.linearization().size());
      b.append(", :configs [");
      String sep = "";
      for (String s : c.states()) {
        b.append(sep).append("{:model ").append(EdnWriter.value(s)).append('}');
        sep = " ";
      }
      b.append("], :cause [");
      sep = "";
      for (Candidate cand : c.candidates()) {
        b.append(sep)
            .append("{:index ")
            .append(cand.op())
            .append(", :op ")
            .append(EdnWriter.value(cand.description()))
            .append(", :why ")
            .append(EdnWriter.value(cand.reason()))
            .append('}');
        sep = " ";
      }
      b.append(']');
    }
    b.append('}');
  }

  private static String valid(Verdict v) {
    return switch (v) {
      case VALID -> "true";
      case INVALID -> "false";
      case UNKNOWN -> ":unknown";
    };
  }
}
