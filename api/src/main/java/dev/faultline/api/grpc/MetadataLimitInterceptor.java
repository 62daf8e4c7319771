package dev.faultline.api.grpc;

import dev.faultline.api.RefusalLog;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * Refuses a call whose metadata is over {@code max-request-header-bytes} with {@code
 * RESOURCE_EXHAUSTED} and {@code faultline-outcome: failed}, before any other check. The HTTP/2
 * layer's own bound is set well above this one (see {@link #transportBound}), because a header list
 * refused there reaches clients as an HTTP 431 that they report as {@code UNKNOWN}, without the
 * outcome. Sizes are counted as HTTP/2 does: name + value + 32 bytes per entry.
 */
final class MetadataLimitInterceptor implements ServerInterceptor {

  private static final RefusalLog REFUSALS =
      new RefusalLog(LoggerFactory.getLogger(MetadataLimitInterceptor.class), 10);

  private final int maxBytes;

  MetadataLimitInterceptor(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The HTTP/2 header list bound: room above the limit for this interceptor to answer. */
  static int transportBound(int maxBytes) {
    return Math.max(64 << 10, 8 * maxBytes);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    long size = size(headers);
    if (size > maxBytes) {
      String method = call.getMethodDescriptor().getFullMethodName();
      String message =
          "request metadata of "
              + size
              + " bytes exceeds max-request-header-bytes "
              + maxBytes
              + ": send fewer or smaller metadata entries";
      REFUSALS.refused("grpc", method, message);
      call.close(Status.RESOURCE_EXHAUSTED.withDescription(message), AuthInterceptor.failed());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  static long size(Metadata headers) {
    long size = 0;
    for (String name : headers.keys()) {
      Iterable<?> values =
          name.endsWith(Metadata.BINARY_HEADER_SUFFIX)
              ? headers.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER))
              : headers.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
      if (values == null) {
        continue;
      }
      for (Object v : values) {
        int len =
            v instanceof byte[] b
                ? (b.length + 2) / 3 * 4 // sent base64-encoded
                : ((String) v).getBytes(StandardCharsets.US_ASCII).length;
        size += name.length() + len + 32;
      }
    }
    return size;
  }
}
