package dev.faultline.api.grpc;

import io.grpc.Metadata;

/**
 * The trailing metadata a Faultline node attaches to gRPC errors: whether the operation certainly
 * failed or may have happened, and, from a follower, where the leader is.
 */
public final class FaultlineMetadata {

  /** {@code failed} (certainly did not take effect) or {@code unknown} (may have). */
  public static final Metadata.Key<String> OUTCOME =
      Metadata.Key.of("faultline-outcome", Metadata.ASCII_STRING_MARSHALLER);

  /** The leader's gRPC address ({@code host:port}), sent by a follower. */
  public static final Metadata.Key<String> LEADER =
      Metadata.Key.of("faultline-leader", Metadata.ASCII_STRING_MARSHALLER);

  /** The leader's node id, sent by a follower. */
  public static final Metadata.Key<String> LEADER_ID =
      Metadata.Key.of("faultline-leader-id", Metadata.ASCII_STRING_MARSHALLER);

  public static final String FAILED = "failed";
  public static final String UNKNOWN = "unknown";

  private FaultlineMetadata() {}
}
