package dev.faultline.histories.format;

import dev.faultline.histories.Op;
import java.io.IOException;

/** Writes ops one line each, in the order given, to an underlying writer it does not close. */
public interface OpWriter {
  void write(Op op) throws IOException;

  void flush() throws IOException;

  /** A writer of {@code format} (JSON Lines or EDN) over {@code out}. */
  static OpWriter of(HistoryFormat format, java.io.Writer out) {
    return switch (format) {
      case JSONL -> new JsonLinesWriter(out);
      case EDN -> new EdnWriter(out);
      case JEPSEN_LOG, PORCUPINE_KV ->
          throw new IllegalArgumentException(
              "histories are written as jsonl or edn, not " + format.cliName());
    };
  }
}
