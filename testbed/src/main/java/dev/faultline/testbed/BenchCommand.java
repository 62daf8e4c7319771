package dev.faultline.testbed;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code faultline bench}: measurements of Faultline's own speed, printed with their setup. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure Faultline's speed (figures for docs/PERFORMANCE.md).",
    subcommands = {BenchHistoryCommand.class, BenchCheckerCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing a subcommand of 'bench'.");
  }
}
