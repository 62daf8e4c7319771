package dev.faultline.api.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Semaphore;

/**
 * A node-wide bound on client requests in progress, shared by HTTP and gRPC: a request that finds
 * no free slot is refused at once (429 / {@code RESOURCE_EXHAUSTED}) before any work is done, so an
 * overloaded node sheds load instead of queueing without bound. Counts refusals in {@code
 * overload_rejections_total{edge}} and exposes {@code inflight_requests}.
 */
public final class InflightLimit {

  private final int max;
  private final Semaphore slots;
  private final MeterRegistry registry;

  public InflightLimit(int max, MeterRegistry registry) {
    this.max = max;
    this.slots = new Semaphore(max);
    this.registry = registry;
    Gauge.builder("inflight.requests", slots, s -> max - s.availablePermits())
        .description("Client requests in progress (HTTP and gRPC)")
        .register(registry);
    rejections("http");
    rejections("grpc");
  }

  /** Takes a slot; false (and counted) when all are taken. */
  public boolean tryAcquire(String edge) {
    if (slots.tryAcquire()) {
      return true;
    }
    rejections(edge).increment();
    return false;
  }

  /** Returns a slot taken by {@link #tryAcquire}. */
  public void release() {
    slots.release();
  }

  public int max() {
    return max;
  }

  /** Requests in progress now. */
  public int inUse() {
    return max - slots.availablePermits();
  }

  private Counter rejections(String edge) {
    return Counter.builder("overload.rejections")
        .description("Client requests refused because max-inflight-requests were in progress")
        .tag("edge", edge)
        .register(registry);
  }
}
