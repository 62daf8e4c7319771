package dev.faultline.api.http;

import dev.faultline.api.RefusalLog;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Reads a request body within bounds: a size limit (413, checked before reading when the length is
 * declared) and a minimum arrival rate (408), so that no client holds a server thread for long.
 */
final class RequestBody {
  private RequestBody() {}

  /**
   * After {@link #BODY_GRACE_MILLIS}, a request body must have arrived at this average rate, or it
   * is refused with 408: a client trickling a large body cannot hold a server thread for long.
   * (Jetty's own minimum data rate is not used: it starts counting before the first byte and so
   * refuses small bodies that arrive a moment after their headers.)
   */
  static final long MIN_BODY_BYTES_PER_SECOND = 1024;

  static final long BODY_GRACE_MILLIS = 1000;

  /** Reads the body, refusing it (413) before reading when it is declared or found too large. */
  static byte[] body(Context ctx, long max, String what) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw ApiError.tooLarge(
          what + " of " + declared + " bytes exceeds the limit of " + max + " bytes");
    }
    long start = System.nanoTime();
    java.io.ByteArrayOutputStream out =
        new java.io.ByteArrayOutputStream((int) Math.min(Math.max(declared, 0), 64 << 10));
    byte[] buf = new byte[8192];
    try (InputStream in = ctx.req().getInputStream()) {
      for (int n; (n = in.read(buf)) != -1; ) {
        out.write(buf, 0, n);
        if (out.size() > max) {
          throw ApiError.tooLarge(what + " exceeds the limit of " + max + " bytes");
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        if (elapsedMillis > BODY_GRACE_MILLIS
            && out.size() < MIN_BODY_BYTES_PER_SECOND * elapsedMillis / 1000) {
          throw tooSlow(what);
        }
      }
    } catch (IOException | BadMessageException e) {
      throw unreadableBody(what, declared, e);
    }
    return out.toByteArray();
  }

  private static ApiError tooSlow(String what) {
    return new ApiError(
        408,
        "request body ("
            + what
            + ") not received in time: send the whole body promptly (after "
            + BODY_GRACE_MILLIS
            + " ms it must have arrived at "
            + MIN_BODY_BYTES_PER_SECOND
            + " bytes/s or more, and a connection silent for the idle timeout is closed)",
        true,
        Map.of("Connection", "close"));
  }

  /**
   * A body that could not be read is the client's fault: too slow (408, the connector's idle
   * timeout or minimum data rate), cut short, or badly framed (400). Nothing was done with it.
   */
  private static ApiError unreadableBody(String what, long declared, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || (t instanceof BadMessageException bad && bad.getCode() == 408)) {
        return tooSlow(what);
      }
    }
    String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return ApiError.badRequest(
        "request body ("
            + what
            + ") is incomplete or badly framed ("
            + RefusalLog.oneLine(cause)
            + "): "
            + (declared >= 0
                ? "send exactly the " + declared + " bytes that Content-Length declares"
                : "end a chunked body with a zero-size chunk, and give each chunk size in hex"));
  }
}
