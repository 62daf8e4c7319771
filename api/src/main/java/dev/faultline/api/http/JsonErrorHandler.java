package dev.faultline.api.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error pages (requests refused before they reach the router, such as a malformed
 * request line) as the API's JSON error body, so no client ever sees an HTML error.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(badMessage(status, reason)));
  }

  @Override
  protected void generateAcceptableResponse(
      Request baseRequest,
      HttpServletRequest request,
      HttpServletResponse response,
      int code,
      String message)
      throws IOException {
    baseRequest.setHandled(true);
    response.setContentType("application/json");
    response.getOutputStream().write(body(message == null ? "HTTP " + code : message));
  }

  /** The error text for a request Jetty refused before routing it. */
  static String badMessage(int status, String reason) {
    return switch (status) {
      case 431 ->
          "request headers too large: the request line and headers together must fit in"
              + " max-request-header-bytes";
      case 414 ->
          "request URI too long: the request line must fit in max-request-header-bytes (keys are"
              + " at most max-key-bytes before percent-encoding)";
      default ->
          (reason == null ? "bad request" : reason)
              + ": check the request line and the key's percent-encoding (a key cannot hold"
              + " byte 0 over HTTP; use gRPC)";
    };
  }

  private static byte[] body(String message) {
    String escaped =
        message.replace("\\", "\\\\").replace("\"", "\\\"").replace('\n', ' ').replace('\r', ' ');
    return ("{\"error\":\"" + escaped + "\",\"outcome\":\"failed\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
