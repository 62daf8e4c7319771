package dev.faultline.nemesis.cluster;

import dev.faultline.nemesis.net.NodeAddress;
import java.util.List;

/**
 * Builds a node's {@link NodeSpec} from its address and every node's address (itself included), so
 * the caller fills in its own node command, e.g. {@code faultline node --id n1 --peers ...}.
 */
@FunctionalInterface
public interface NodeLauncher {
  NodeSpec spec(NodeAddress self, List<NodeAddress> all);
}
