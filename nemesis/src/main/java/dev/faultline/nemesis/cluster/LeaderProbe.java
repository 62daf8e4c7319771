package dev.faultline.nemesis.cluster;

import dev.faultline.nemesis.net.NodeAddress;
import java.util.Optional;

/**
 * Asks one node which node it believes leads (the nemesis knows no node API, so the caller supplies
 * this, e.g. {@code GET /v1/cluster}). Empty when the node knows no leader or cannot be reached.
 */
@FunctionalInterface
public interface LeaderProbe {
  Optional<String> leaderSeenBy(NodeAddress node) throws Exception;
}
