package dev.faultline.nemesis.net;

import java.util.List;

/**
 * Where the nodes of a run live on the network: each node's address, how to launch a command inside
 * the node's network, and the {@link Net} that partitions them. Closing it removes everything it
 * created.
 */
public interface NodeNetwork extends AutoCloseable {
  List<NodeAddress> addresses();

  /**
   * The argv prefix that runs a command in the node's network (empty when there is nothing to do).
   */
  List<String> launchPrefix(String nodeId);

  /**
   * Partitions and heals between these nodes.
   *
   * @throws UnsupportedOperationException when this network cannot partition
   */
  Net net();

  @Override
  void close();

  default NodeAddress address(String nodeId) {
    return addresses().stream()
        .filter(a -> a.id().equals(nodeId))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("unknown node " + nodeId + ": not in " + ids()));
  }

  default List<String> ids() {
    return addresses().stream().map(NodeAddress::id).toList();
  }
}
