package dev.faultline.api.client;

import dev.faultline.api.CasOutcome;
import dev.faultline.api.Session;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The protocol-independent half of a {@link KvClient}: leader memory, sessions, and the retry loop
 * that keeps "certainly failed" and "may have happened" apart across attempts.
 */
abstract class RetryingClient implements KvClient {

  /** What all views of one client share. */
  static final class Shared {
    final KvClientOptions options;
    final List<String> endpoints;
    final AtomicReference<String> leader = new AtomicReference<>();
    final AtomicInteger next = new AtomicInteger();
    final long clientId;
    final AtomicLong seq = new AtomicLong();
    final ReentrantLock sessionWrites = new ReentrantLock(true);

    Shared(KvClientOptions options, List<String> endpoints) {
      this.options = options;
      this.endpoints = List.copyOf(endpoints);
      long id;
      SecureRandom random = new SecureRandom();
      do {
        id = random.nextLong();
      } while (id == 0);
      this.clientId = id;
    }
  }

  final Shared shared;
  final Duration callTimeout;

  RetryingClient(Shared shared, Duration callTimeout) {
    this.shared = shared;
    this.callTimeout = callTimeout;
  }

  /** Makes one attempt at {@code endpoint}, never throwing for a remote failure. */
  abstract Attempt attempt(String endpoint, Request request, Duration timeout);

  @Override
  public String leader() {
    String l = shared.leader.get();
    return l != null
        ? l
        : shared.endpoints.get(Math.floorMod(shared.next.get(), shared.endpoints.size()));
  }

  @Override
  public void put(byte[] key, byte[] value) {
    write(Request.Kind.PUT, key, value, null);
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    @SuppressWarnings("unchecked")
    Optional<byte[]> v =
        (Optional<byte[]>) run(new Request(Request.Kind.GET, key, null, null, Session.NONE));
    return v;
  }

  @Override
  public void delete(byte[] key) {
    write(Request.Kind.DELETE, key, null, null);
  }

  @Override
  public CasOutcome cas(byte[] key, byte[] expected, byte[] value) {
    return (CasOutcome) write(Request.Kind.CAS, key, value, expected);
  }

  private Object write(Request.Kind kind, byte[] key, byte[] value, byte[] expected) {
    if (!shared.options.sessions()) {
      return run(new Request(kind, key, value, expected, Session.NONE));
    }
    // One session write at a time, so the store sees this client's sequence numbers in order.
    shared.sessionWrites.lock();
    try {
      Session session = new Session(shared.clientId, shared.seq.incrementAndGet());
      return run(new Request(kind, key, value, expected, session));
    } finally {
      shared.sessionWrites.unlock();
    }
  }

  private Object run(Request request) {
    KvClientOptions options = shared.options;
    long deadline = System.nanoTime() + options.totalTimeout().toNanos();
    boolean maybeApplied = false;
    String endpoint = leader();
    String last = "no attempt made";
    String lastNode = null;
    for (int attempt = 0; attempt < options.maxAttempts(); attempt++) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        last = "gave up after " + options.totalTimeout().toMillis() + " ms: " + last;
        break;
      }
      Duration timeout = Duration.ofNanos(Math.min(left, callTimeout.toNanos()));
      Attempt result = attempt(endpoint, request, timeout);
      lastNode = endpoint;
      if (result instanceof Attempt.Success s) {
        shared.leader.set(endpoint);
        return s.value();
      }
      if (result instanceof Attempt.Redirect r) {
        shared.leader.set(r.endpoint());
        endpoint = r.endpoint();
        last = r.message();
        continue;
      }
      if (result instanceof Attempt.Rejected r) {
        throw failure(request, maybeApplied, r.message(), endpoint);
      }
      if (result instanceof Attempt.Unknown u) {
        last = u.message();
        maybeApplied |= !request.read();
        if (!request.idempotentRetry()) {
          throw new KvUnknownOutcomeException(
              request.kind().word() + " outcome unknown at " + endpoint + ": " + u.message(),
              endpoint);
        }
      } else if (result instanceof Attempt.Retryable r) {
        last = r.message();
      }
      // Unknown (safe to retry) or Retryable: try the next node after a pause.
      shared.leader.compareAndSet(endpoint, null);
      endpoint = rotate();
      if (!pause(Math.min(options.retryBackoff().toNanos(), deadline - System.nanoTime()))) {
        break;
      }
    }
    throw failure(request, maybeApplied, last, lastNode);
  }

  private static KvException failure(
      Request request, boolean maybeApplied, String message, String node) {
    String text = request.kind().word() + " failed at " + node + ": " + message;
    return maybeApplied
        ? new KvUnknownOutcomeException(
            request.kind().word()
                + " outcome unknown (an earlier attempt may have applied it): "
                + message,
            node)
        : new KvFailedException(text, node);
  }

  private String rotate() {
    return shared.endpoints.get(
        Math.floorMod(shared.next.incrementAndGet(), shared.endpoints.size()));
  }

  /** Waits out a retry backoff; false when interrupted. */
  private static boolean pause(long nanos) {
    if (nanos <= 0) {
      return true;
    }
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
