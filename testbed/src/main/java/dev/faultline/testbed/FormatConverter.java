package dev.faultline.testbed;

import dev.faultline.histories.format.HistoryFormat;
import picocli.CommandLine;

/**
 * Parses a {@code --format}/{@code --from} value: {@code auto} (null, detect from content) or a
 * format's command-line name.
 */
final class FormatConverter implements CommandLine.ITypeConverter<HistoryFormat> {
  @Override
  public HistoryFormat convert(String value) {
    if (value.equalsIgnoreCase("auto")) {
      return null;
    }
    HistoryFormat f = HistoryFormat.fromCliName(value);
    if (f == null) {
      throw new CommandLine.TypeConversionException(
          "expected auto, jsonl, edn, jepsen-log or porcupine-kv, found '" + value + "'");
    }
    return f;
  }
}
