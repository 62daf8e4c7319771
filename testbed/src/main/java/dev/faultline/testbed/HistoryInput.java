package dev.faultline.testbed;

import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import dev.faultline.histories.format.HistoryFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a history file named on the command line, with a one-line error when it is missing. */
final class HistoryInput {
  private HistoryInput() {}

  /** The format that will be used: the one given, or the one detected from the content. */
  static HistoryFormat formatOf(Path file, HistoryFormat given) throws IOException {
    requireReadable(file);
    return given != null ? given : HistoryFormat.detect(file);
  }

  /**
   * Reads the history; one with no client op is refused, since there is nothing to check or to
   * convert and calling it valid would mislead.
   */
  static History read(Path file, HistoryFormat format) throws IOException {
    requireReadable(file);
    History h = HistoryFiles.read(file, format);
    if (h.calls().isEmpty()) {
      String found =
          Files.size(file) == 0
              ? "an empty file"
              : h.size() > 0
                  ? "only nemesis events"
                  : format == HistoryFormat.JEPSEN_LOG
                      ? "no Jepsen op line (INFO jepsen.util - PROCESS :TYPE :F VALUE)"
                      : "only whitespace";
      throw HistoryFormatException.expected(
          file.toString(), 1, 1, "a history with at least one client op", found);
    }
    return h;
  }

  private static void requireReadable(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          file + ": no such history file; check the path (or the run directory)");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(file + ": not readable; check its permissions");
    }
  }
}
