package dev.faultline.nemesis.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Nodes on the host's loopback, each on its own address {@code 127.77.0.N} (Linux routes all of
 * 127/8 to {@code lo}), for runs without partitions. It cannot partition: that needs {@link
 * SandboxNet}.
 */
public final class LoopbackNetwork implements NodeNetwork {
  private final List<NodeAddress> addresses;

  private LoopbackNetwork(List<NodeAddress> addresses) {
    this.addresses = List.copyOf(addresses);
  }

  public static LoopbackNetwork create(List<String> nodeIds) {
    if (nodeIds.size() > 253) {
      throw new IllegalArgumentException("at most 253 nodes, got " + nodeIds.size());
    }
    var addresses = new ArrayList<NodeAddress>();
    for (int i = 0; i < nodeIds.size(); i++) {
      addresses.add(new NodeAddress(nodeIds.get(i), i + 1, "127.77.0." + (i + 1)));
    }
    return new LoopbackNetwork(addresses);
  }

  @Override
  public List<NodeAddress> addresses() {
    return addresses;
  }

  @Override
  public List<String> launchPrefix(String nodeId) {
    address(nodeId);
    return List.of();
  }

  @Override
  public Net net() {
    throw new UnsupportedOperationException(
        "partitions need the network sandbox: run inside NetworkSandbox and use SandboxNet");
  }

  @Override
  public void close() {}
}
