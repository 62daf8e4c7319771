package dev.faultline.api;

import java.time.Duration;

/**
 * The bounds the client-facing edges enforce before a request reaches the backend.
 *
 * @param maxKeyBytes the longest key, in bytes after percent-decoding
 * @param maxValueBytes the longest value, in bytes
 * @param maxGrpcMessageBytes the largest gRPC message accepted or sent
 * @param requestTimeout how long an edge waits for the backend before answering "outcome unknown"
 * @param retryAfter what a 503 tells the client to wait
 */
public record Limits(
    int maxKeyBytes,
    int maxValueBytes,
    int maxGrpcMessageBytes,
    Duration requestTimeout,
    Duration retryAfter) {

  public static final Limits DEFAULTS =
      new Limits(1024, 1 << 20, 4 << 20, Duration.ofSeconds(5), Duration.ofSeconds(1));

  public Limits {
    if (maxKeyBytes < 1 || maxValueBytes < 0 || maxGrpcMessageBytes < 1024) {
      throw new IllegalArgumentException(
          "limits out of range: max-key-bytes >= 1, max-value-bytes >= 0, max-grpc-message-bytes"
              + " >= 1024");
    }
  }

  /** The largest CAS request body: two values, JSON-escaped at worst six bytes per byte. */
  public long maxCasBodyBytes() {
    return 12L * maxValueBytes + 4096;
  }
}
