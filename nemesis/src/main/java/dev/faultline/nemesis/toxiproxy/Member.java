package dev.faultline.nemesis.toxiproxy;

/**
 * A node as its peers and clients reach it without a proxy: its Raft peer address and, when known,
 * its HTTP and gRPC client addresses ({@code null} when not advertised). Addresses are {@code
 * host:port}.
 */
public record Member(String id, String peer, String http, String grpc) {
  public Member {
    if (id == null || id.isBlank() || id.contains(",") || id.contains("=")) {
      throw new IllegalArgumentException("member id '" + id + "' must be a plain name like n1");
    }
    requireHostPort(peer, id + " peer address");
    if (http != null) {
      requireHostPort(http, id + " http address");
    }
    if (grpc != null) {
      requireHostPort(grpc, id + " grpc address");
    }
  }

  static void requireHostPort(String address, String what) {
    int colon = address == null ? -1 : address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(
          what + " '" + address + "' is not HOST:PORT: write e.g. 127.0.0.1:7070");
    }
  }
}
