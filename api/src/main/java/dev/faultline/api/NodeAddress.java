package dev.faultline.api;

/**
 * Where a node listens: {@code peer} for Raft traffic, {@code http} and {@code grpc} for clients.
 * Addresses are {@code host:port}; {@code http} and {@code grpc} may be {@code null} when unknown.
 */
public record NodeAddress(String id, String peer, String http, String grpc) {

  public NodeAddress {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a node needs a non-empty id");
    }
  }
}
