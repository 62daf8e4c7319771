package dev.faultline.testbed;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code faultline bench}: measurements of speed, printed with their setup. Without a subcommand it
 * runs the key-value load of {@link BenchKvCommand} against Faultline (or etcd), over HTTP or gRPC.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure speed (figures for docs/PERFORMANCE.md). Without a subcommand: a key-value load"
          + " against Faultline (or etcd with --system etcd) over HTTP or gRPC (--protocol), ops/s"
          + " and latency percentiles; without --target on a 3-node cluster started for the run."
    },
    subcommands = {
      BenchHistoryCommand.class,
      BenchCheckerCommand.class,
      dev.faultline.testbed.bench.FsyncCommand.class
    })
public final class BenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin BenchKvCommand kv = new BenchKvCommand();

  @Override
  public Integer call() throws Exception {
    return kv.run(spec.commandLine().getOut());
  }
}
