package dev.faultline.testbed;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code faultline} command: one entry point for every executable part of Faultline. Exit codes
 * for all subcommands are those of {@link ExitCode}.
 */
@Command(
    name = "faultline",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "A Raft-replicated key-value store and a Jepsen-style testbed that verifies it.",
      "",
      "Exit codes: 0 valid/success, 1 invalid (a consistency violation), 2 unknown (no verdict),"
          + " 3 error (bad input, bad usage, the run failed)."
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      TestCommand.class,
      CheckCommand.class,
      HistoryCommand.class,
      SimCommand.class,
      NodeCommand.class,
      ClusterCommand.class,
      BenchCommand.class,
      ReportCommand.class,
      ServeCommand.class,
    })
public final class Faultline implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand.");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (tests call this rather than main). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, with Faultline's exit codes and error handling. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Faultline());
    cl.setExitCodeExceptionMapper(e -> ExitCode.ERROR);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine cmd = ex.getCommandLine();
          PrintWriter err = cmd.getErr();
          err.println("faultline: " + ex.getMessage());
          cmd.usage(err, cmd.getColorScheme());
          return ExitCode.ERROR;
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          String msg =
              ex instanceof FileSystemException fs
                  ? describe(fs)
                  : ex.getMessage() == null ? ex.toString() : ex.getMessage();
          // The whole command path ("faultline cluster up"), so a nested command is named in full.
          err.println(cmd.getCommandSpec().qualifiedName() + ": " + msg);
          if (Boolean.getBoolean("faultline.debug")) {
            ex.printStackTrace(err);
          }
          return ExitCode.ERROR;
        });
    return cl;
  }

  /**
   * A file-system error as a sentence: the JDK's message for these is often the bare path (an
   * existing file where a folder is wanted says only "/tmp/x").
   */
  static String describe(FileSystemException e) {
    String what;
    if (e instanceof NoSuchFileException) {
      what = "no such file or folder";
    } else if (e instanceof FileAlreadyExistsException) {
      what = "is in the way (a file exists where a folder or a new file is wanted)";
    } else if (e instanceof NotDirectoryException) {
      what = "is not a folder";
    } else if (e instanceof AccessDeniedException) {
      what = "permission denied";
    } else if (e instanceof DirectoryNotEmptyException) {
      what = "the folder is not empty";
    } else {
      what = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
    }
    String path = e.getFile() == null ? "" : e.getFile() + ": ";
    String other = e.getOtherFile() == null ? "" : " (with " + e.getOtherFile() + ")";
    return path + what + other + "; check the path and try again";
  }
}
