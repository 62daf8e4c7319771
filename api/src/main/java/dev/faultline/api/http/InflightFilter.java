package dev.faultline.api.http;

import dev.faultline.api.security.InflightLimit;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds one slot of the node's {@link InflightLimit}, and one of this edge's own slots, for each
 * key-value request until its answer is complete (asynchronous answers included); without a free
 * slot the request gets {@code 429} with {@code Retry-After} before its body is read. The edge's
 * slots are fewer than the server's threads, so requests stuck reading slow bodies can never take
 * every thread. Health, readiness and metrics are not counted, so probes keep answering under load.
 */
final class InflightFilter implements Filter {

  private final InflightLimit limit;
  private final Semaphore edgeSlots;
  private final int edgeMax;
  private final long retryAfterSeconds;

  InflightFilter(InflightLimit limit, int edgeMax, long retryAfterSeconds) {
    this.limit = limit;
    this.edgeSlots = new Semaphore(edgeMax);
    this.edgeMax = edgeMax;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!limit.tryAcquire("http")) {
      refuse(res, limit.max());
      return;
    }
    if (!edgeSlots.tryAcquire()) {
      limit.release();
      refuse(res, edgeMax);
      return;
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            limit.release();
            edgeSlots.release();
          }
        };
    boolean async = false;
    try {
      chain.doFilter(req, res);
      if (req.isAsyncStarted()) {
        req.getAsyncContext()
            .addListener(
                new AsyncListener() {
                  @Override
                  public void onComplete(AsyncEvent e) {
                    release.run();
                  }

                  @Override
                  public void onTimeout(AsyncEvent e) {
                    release.run();
                  }

                  @Override
                  public void onError(AsyncEvent e) {
                    release.run();
                  }

                  @Override
                  public void onStartAsync(AsyncEvent e) {}
                });
        async = true;
      }
    } finally {
      if (!async) {
        release.run();
      }
    }
  }

  private void refuse(ServletResponse res, int max) throws IOException {
    HttpServletResponse r = (HttpServletResponse) res;
    r.setStatus(429);
    r.setHeader("Retry-After", Long.toString(retryAfterSeconds));
    r.setContentType("application/json");
    r.getOutputStream()
        .write(
            ("{\"error\":\"node overloaded: "
                    + max
                    + " requests in progress (max-inflight-requests); retry after "
                    + retryAfterSeconds
                    + " s\",\"outcome\":\"failed\"}")
                .getBytes(StandardCharsets.UTF_8));
  }
}
