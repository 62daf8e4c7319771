package dev.faultline.histories.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The history file formats Faultline reads. JSON Lines is the native format; Jepsen EDN is read and
 * written; Jepsen's text log and Porcupine's kv lines are read only.
 */
public enum HistoryFormat {
  /** One JSON object per line: Faultline's own format. */
  JSONL("jsonl"),
  /** Jepsen EDN: a whole-file vector of op maps, or one op map per line. */
  EDN("edn"),
  /** Jepsen's text log: {@code INFO jepsen.util - 3\t:invoke\t:read\tnil}. */
  JEPSEN_LOG("jepsen-log"),
  /** Porcupine's kv test data: one EDN map per line, each with a {@code :key}. */
  PORCUPINE_KV("porcupine-kv");

  /** How many non-blank lines detection looks at before it gives up. */
  private static final int SNIFF_LINES = 50;

  private final String cliName;

  HistoryFormat(String cliName) {
    this.cliName = cliName;
  }

  /** The name on the command line: {@code jsonl}, {@code edn}, {@code jepsen-log}, ... */
  public String cliName() {
    return cliName;
  }

  /** Parses a command-line name (case-insensitive), or returns null when it names no format. */
  public static HistoryFormat fromCliName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (HistoryFormat f : values()) {
      if (f.cliName.equals(n) || f.name().toLowerCase(Locale.ROOT).equals(n)) {
        return f;
      }
    }
    return null;
  }

  /**
   * Decides a file's format from its first non-blank lines: a JSON object, an EDN vector or map (a
   * map with {@code :key} and Porcupine's functions is Porcupine kv), or Jepsen log lines. The
   * extension decides only when the content says nothing.
   *
   * @throws HistoryFormatException when neither content nor extension names a format
   */
  public static HistoryFormat detect(Path file) throws IOException {
    String source = file.toString();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      int looked = 0;
      while ((line = in.readLine()) != null && looked < SNIFF_LINES) {
        lineNo++;
        String t = line.strip();
        if (t.isEmpty()) {
          continue;
        }
        looked++;
        if (t.contains("jepsen.util - ")) {
          return JEPSEN_LOG;
        }
        char c = t.charAt(0);
        if (c == '[' || c == '(' || c == ';' || c == '#') {
          return EDN;
        }
        if (c == '{') {
          String rest = t.substring(1).stripLeading();
          if (rest.startsWith("\"") || rest.startsWith("}")) {
            return JSONL;
          }
          if (rest.startsWith(":")) {
            return looksLikePorcupineKv(t) ? PORCUPINE_KV : EDN;
          }
        }
        HistoryFormat byName = byExtension(file);
        if (byName != null) {
          return byName;
        }
        throw HistoryFormatException.expected(
            source,
            lineNo,
            1,
            "a history (a JSON object, an EDN vector or map, or a Jepsen log line)",
            "`" + abbreviate(t) + "`");
      }
      HistoryFormat byName = byExtension(file);
      if (byName != null) {
        return byName;
      }
      throw HistoryFormatException.expected(
          source, Math.max(lineNo, 1), 1, "a history", "an empty file");
    } catch (java.nio.charset.CharacterCodingException e) {
      HistoryFormatException located = Utf8Text.firstMalformed(source, file);
      if (located != null) {
        throw located;
      }
      throw e;
    }
  }

  private static boolean looksLikePorcupineKv(String line) {
    // Porcupine's lines carry no :index or :time; Faultline's own EDN always has :index.
    return line.contains(":key ")
        && !line.contains(":index ")
        && !line.contains(":time ")
        && (line.contains(":f :get") || line.contains(":f :put") || line.contains(":f :append"));
  }

  private static HistoryFormat byExtension(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
      return JSONL;
    }
    if (n.endsWith(".edn")) {
      return EDN;
    }
    if (n.endsWith(".log")) {
      return JEPSEN_LOG;
    }
    return null;
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
