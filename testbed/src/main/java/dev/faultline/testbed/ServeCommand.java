package dev.faultline.testbed;

import dev.faultline.testbed.serve.RunServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code faultline serve}: the web UI over a store of runs, until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve a web UI listing the runs in a store (newest first, filter by verdict, workload and"
          + " nemesis), their reports and raw files, and each run as a zip.",
      "Exit codes: 0 stopped, 3 the address or port cannot be listened on, or the store holds"
          + " something other than runs."
    })
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Apart from a node's 8080 and a local cluster's 18080 and up, so both can run beside it. */
  static final int DEFAULT_PORT = 8070;

  @Option(
      names = "--port",
      defaultValue = "" + DEFAULT_PORT,
      description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--store",
      defaultValue = "runs",
      paramLabel = "DIR",
      description =
          "The store of runs, as 'faultline test --store' writes it (default ${DEFAULT-VALUE});"
              + " a folder holding anything else is refused.")
  Path store;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 exposes"
              + " the runs to the network).")
  String bind;

  @Override
  public Integer call() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    try (RunServer server = RunServer.start(store, bind, port)) {
      spec.commandLine()
          .getOut()
          .println(
              "serving "
                  + store.toAbsolutePath()
                  + " on http://"
                  + bind
                  + ":"
                  + server.port()
                  + "/ (Ctrl-C stops)"
                  + (Files.isDirectory(store)
                      ? ""
                      : "; no runs yet: 'faultline test --store " + store + "' writes them"));
      spec.commandLine().getOut().flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return ExitCode.VALID;
  }
}
