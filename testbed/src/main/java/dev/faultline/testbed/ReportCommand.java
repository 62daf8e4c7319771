package dev.faultline.testbed;

import dev.faultline.testbed.report.ReportWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code faultline report DIR}: writes a run's report.html and junit.xml again from its files. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write report.html and junit.xml of a run directory from its files (history.jsonl,"
          + " test.json, results.json, check.html, nodes/*/*.log). Missing files are reported"
          + " in the page, not as errors.",
      "Exit codes: 0 written, 3 the directory is missing or cannot be written."
    })
final class ReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
  Path dir;

  @Override
  public Integer call() throws Exception {
    ReportWriter.Written w = ReportWriter.write(dir);
    spec.commandLine()
        .getOut()
        .println("wrote " + w.report() + " and " + w.junit() + " (verdict: " + w.verdict() + ")");
    spec.commandLine().getOut().flush();
    return ExitCode.VALID;
  }
}
