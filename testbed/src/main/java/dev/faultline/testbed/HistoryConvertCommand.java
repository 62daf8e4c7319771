package dev.faultline.testbed;

import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faultline history convert IN OUT --to jsonl|edn}: rewrites a history in another format.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert a history (JSON Lines, Jepsen EDN, Jepsen text log or Porcupine kv) to JSON Lines"
          + " or EDN. OUT is replaced atomically: a failure leaves it as it was.",
      "Exit codes: 0 written, 3 the input is missing or malformed (FILE:LINE:COLUMN on stderr)."
    })
final class HistoryConvertCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "The history to read.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "The file to write.")
  Path out;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "FORMAT",
      converter = WrittenFormat.class,
      description = "jsonl or edn (the formats written).")
  HistoryFormat to;

  @Option(
      names = "--from",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "auto (default: detect from content), jsonl, edn, jepsen-log, porcupine-kv.")
  HistoryFormat from;

  @Override
  public Integer call() throws Exception {
    Path folder = out.toAbsolutePath().getParent();
    if (Files.isDirectory(out)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "OUT " + out + ": is a folder; name the file to write");
    }
    if (folder != null && !Files.isDirectory(folder)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "OUT "
              + out
              + ": its folder "
              + folder
              + " does not exist; create it first (mkdir -p) or name another file");
    }
    HistoryFormat used = HistoryInput.formatOf(in, from);
    History h = HistoryInput.read(in, used);
    HistoryFiles.write(h, out, to);
    spec.commandLine()
        .getOut()
        .printf("%s (%s) -> %s (%s): %d ops%n", in, used.cliName(), out, to.cliName(), h.size());
    spec.commandLine().getOut().flush();
    return ExitCode.VALID;
  }

  /** Parses {@code --to}: only the formats a history can be written in. */
  static final class WrittenFormat implements CommandLine.ITypeConverter<HistoryFormat> {
    @Override
    public HistoryFormat convert(String value) {
      HistoryFormat f = HistoryFormat.fromCliName(value);
      if (f != HistoryFormat.JSONL && f != HistoryFormat.EDN) {
        throw new CommandLine.TypeConversionException(
            "expected jsonl or edn (the formats a history is written in), found '" + value + "'");
      }
      return f;
    }
  }
}
