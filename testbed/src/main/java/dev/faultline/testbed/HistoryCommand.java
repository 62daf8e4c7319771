package dev.faultline.testbed;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code faultline history}: tools for history files (statistics, format conversion). */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "Inspect and convert history files (JSON Lines, Jepsen EDN, Jepsen text log, Porcupine kv).",
    subcommands = {HistoryStatsCommand.class, HistoryConvertCommand.class})
public final class HistoryCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing a subcommand of 'history'.");
  }
}
