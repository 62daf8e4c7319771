package dev.faultline.testbed;

import dev.faultline.histories.History;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
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
      converter = FormatConverter.class,
      description = "jsonl or edn.")
  HistoryFormat to;

  @Option(
      names = "--from",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description = "auto (default: detect from content), jsonl, edn, jepsen-log, porcupine-kv.")
  HistoryFormat from;

  @Override
  public Integer call() throws Exception {
    if (to != HistoryFormat.JSONL && to != HistoryFormat.EDN) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--to: expected jsonl or edn, found " + (to == null ? "auto" : to.cliName()));
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
}
