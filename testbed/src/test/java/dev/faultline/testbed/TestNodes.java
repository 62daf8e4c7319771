package dev.faultline.testbed;

import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Configurations of in-process nodes on free loopback ports, with fast ticks. */
final class TestNodes {
  private TestNodes() {}

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** {@code n} nodes, n1..nN, that know each other; each keeps its data under {@code dir}. */
  static List<NodeConfig> configs(Path dir, int n) throws IOException {
    List<int[]> ports = new ArrayList<>();
    List<String> entries = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      int[] p = {freePort(), freePort(), freePort()};
      ports.add(p);
      entries.add(
          "n"
              + i
              + "=peer=127.0.0.1:"
              + p[0]
              + ";http=127.0.0.1:"
              + p[1]
              + ";grpc=127.0.0.1:"
              + p[2]);
    }
    List<NodeConfig> configs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      int[] p = ports.get(i - 1);
      configs.add(
          ConfigSources.fromOptions(
              Map.of(
                  "id",
                  "n" + i,
                  "data-dir",
                  dir.resolve("n" + i).toString(),
                  "peer-address",
                  "127.0.0.1:" + p[0],
                  "http-address",
                  "127.0.0.1:" + p[1],
                  "grpc-address",
                  "127.0.0.1:" + p[2],
                  "peers",
                  String.join(",", entries),
                  "tick-ms",
                  20,
                  "election-ticks",
                  10,
                  "heartbeat-ticks",
                  2)));
    }
    return configs;
  }
}
