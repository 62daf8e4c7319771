package dev.faultline.nemesis.standin;

import dev.faultline.nemesis.Nemesis;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.LocalCluster;
import dev.faultline.nemesis.cluster.NodeSpec;
import dev.faultline.nemesis.net.NodeNetwork;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link LocalCluster} of {@link StandInNode}s, and the bits of glue tests need around it. */
public final class StandInCluster {
  private StandInCluster() {}

  /** Launches stand-in nodes with logs and data under {@code dir/<id>/}. */
  public static LocalCluster create(NodeNetwork network, Path dir) {
    return LocalCluster.create(
        network,
        (self, all) -> {
          Path home = dir.resolve(self.id());
          return new NodeSpec(
              self.id(),
              List.of(
                  java(),
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-Xmx64m",
                  "-cp",
                  classPath(),
                  StandInNode.class.getName(),
                  self.id(),
                  self.host()),
              Map.of(),
              home,
              home.resolve("data"),
              home.resolve(self.id() + ".log"));
        });
  }

  /** Every answering node names the node that answers first in id order: enough to test voting. */
  public static final LeaderProbe FIRST_ANSWERING =
      node -> ControlClient.ask(node.host(), "ping", 1000).map(pong -> "n1");

  /** "Ready" for the nemesis means the node answers a ping. */
  public static final LeaderProbe SELF_WHEN_ANSWERING =
      node -> ControlClient.ask(node.host(), "ping", 1000).map(pong -> node.id());

  /** The pid reported by the node at {@code host}, if it answers. */
  public static Optional<Long> pid(String host, int timeoutMillis) {
    return ControlClient.ask(host, "ping", timeoutMillis).map(p -> Long.parseLong(p.split(" ")[2]));
  }

  /** Polls until every node answers a ping, for at most {@code timeoutMillis}. */
  public static boolean awaitAllAnswer(LocalCluster cluster, long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    for (String id : cluster.nodeIds()) {
      while (ControlClient.ask(cluster.address(id).host(), "ping", 500).isEmpty()) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
      }
    }
    return true;
  }

  public static Nemesis nemesis(LocalCluster cluster, LeaderProbe probe, long seed) {
    return Nemesis.of(cluster, probe, new java.util.SplittableRandom(seed));
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The test classes and main classes of this module, which is all a stand-in needs. */
  public static String classPath() {
    return location(StandInNode.class) + ":" + location(Nemesis.class);
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
