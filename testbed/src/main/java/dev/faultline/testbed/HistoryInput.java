package dev.faultline.testbed;

import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
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

  static History read(Path file, HistoryFormat format) throws IOException {
    requireReadable(file);
    return HistoryFiles.read(file, format);
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
