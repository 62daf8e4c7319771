package dev.faultline.testbed;

import dev.faultline.testbed.serve.RunServer;
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
      "Exit codes: 0 stopped, 3 the port could not be bound."
    })
final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--store",
      defaultValue = "store",
      paramLabel = "DIR",
      description = "The store of runs (default ${DEFAULT-VALUE}).")
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
                  + "/ (Ctrl-C stops)");
      spec.commandLine().getOut().flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return ExitCode.VALID;
  }
}
