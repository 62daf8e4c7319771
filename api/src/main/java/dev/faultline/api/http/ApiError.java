package dev.faultline.api.http;

import java.util.Map;

/**
 * A request the HTTP edge answers itself with an error body {@code {"error", "outcome"}}: bad
 * input, or a backend failure mapped to its status. {@code definite} selects the outcome word.
 */
final class ApiError extends RuntimeException {

  final int status;
  final boolean definite;
  final Map<String, String> headers;

  ApiError(int status, String message, boolean definite, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.definite = definite;
    this.headers = Map.copyOf(headers);
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message, true, Map.of());
  }

  static ApiError tooLarge(String message) {
    return new ApiError(413, message, true, Map.of());
  }

  String outcome() {
    return definite ? "failed" : "unknown";
  }
}
