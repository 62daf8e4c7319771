package dev.faultline.nemesis.net;

/**
 * Where a node of the run lives: its id ({@code n1..nN}), its 1-based index and the host address it
 * binds and is reached at. Each node has its own address, so every node can use the same ports.
 */
public record NodeAddress(String id, int index, String host) {
  /** {@code host:port}, for a node command line. */
  public String hostPort(int port) {
    return host + ":" + port;
  }
}
