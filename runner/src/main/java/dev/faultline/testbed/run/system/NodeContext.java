package dev.faultline.testbed.run.system;

import dev.faultline.api.security.ClusterPki;
import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.testbed.run.TestOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a system's nodes are opened with for one run.
 *
 * @param options the run's options
 * @param work the directory holding each node's {@code <id>/} working directory
 * @param nodes every node's address, in order
 * @param program how to start this program ({@code java -jar faultline.jar})
 * @param pki TLS material of the run, when {@code --tls}
 * @param peersLine a node's {@code --peers} value through proxies, when peer links are proxied
 */
public record NodeContext(
    TestOptions options,
    Path work,
    List<NodeAddress> nodes,
    List<String> program,
    Optional<ClusterPki> pki,
    Optional<Function<String, String>> peersLine) {
  public NodeContext {
    nodes = List.copyOf(nodes);
    program = List.copyOf(program);
  }

  /** The node's working directory, {@code work/<id>}, absolute. */
  public Path nodeDir(String id) {
    return work.resolve(id).toAbsolutePath();
  }
}
