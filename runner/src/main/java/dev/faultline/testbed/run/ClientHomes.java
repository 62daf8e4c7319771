package dev.faultline.testbed.run;

import java.util.List;

/**
 * Which node a client process talks to, for every system under test and deployment alike: worker
 * {@code process mod concurrency} is bound to node {@code worker mod nodes}. A worker that takes a
 * fresh process id after an {@code info} (Jepsen's rule) keeps its node, and the workers spread
 * evenly over the nodes.
 */
public final class ClientHomes {
  private ClientHomes() {}

  /**
   * The node of {@code process} among {@code nodes}.
   *
   * @throws IllegalArgumentException when there is no node or no worker
   */
  public static <T> T home(long process, int concurrency, List<T> nodes) {
    if (nodes.isEmpty() || concurrency < 1) {
      throw new IllegalArgumentException(
          "clients need a node and a worker, got "
              + nodes.size()
              + " nodes and concurrency "
              + concurrency);
    }
    long worker = Math.floorMod(process, (long) concurrency);
    return nodes.get((int) (worker % nodes.size()));
  }
}
