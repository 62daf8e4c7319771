package dev.faultline.workloads.run;

import dev.faultline.histories.Op;
import dev.faultline.workloads.Command;
import dev.faultline.workloads.Generator;
import dev.faultline.workloads.client.Client;
import dev.faultline.workloads.client.ClientFactory;
import dev.faultline.workloads.client.Completion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a generator's ops against a cluster with one thread per client process, recording each
 * invocation before it is sent and each completion after, then reads every touched key once more.
 *
 * <p>The main phase ends at the time limit, at the op limit, or on {@link #stop()}; ops in flight
 * finish first (the client's own timeout bounds them). A process whose op ends {@code info} may
 * still have that op in effect, so it never invokes again: its thread carries on as process {@code
 * p + concurrency} with a fresh client, as Jepsen does. Ops are drawn from the generator in one
 * deterministic sequence; only their assignment to processes depends on timing.
 */
public final class WorkerPool {

  /** How long the final reads may take in all, so a run with a node that stays down still ends. */
  static final Duration FINAL_PHASE_LIMIT = Duration.ofSeconds(60);

  private final Generator generator;
  private final ClientFactory clients;
  private final OpRecorder recorder;
  private final PoolOptions options;

  private final Object turn = new Object();
  private final AtomicLong invoked = new AtomicLong();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong fail = new AtomicLong();
  private final AtomicLong info = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopped;
  private volatile long startNanos = -1;
  private long drawn;

  public WorkerPool(
      Generator generator, ClientFactory clients, OpRecorder recorder, PoolOptions options) {
    this.generator = generator;
    this.clients = clients;
    this.recorder = recorder;
    this.options = options;
  }

  /** What a finished run did: its final counters and the keys no final read could reach. */
  public record Result(Progress totals, long mainPhaseOps, List<String> unreadKeys) {}

  /** Runs both phases and returns when they are done. */
  public Result run() throws InterruptedException {
    return run(() -> {});
  }

  /**
   * Runs the main phase, then {@code beforeFinalReads} (e.g. healing every fault), then the final
   * reads, and returns when all are done.
   *
   * @throws IllegalStateException when a worker failed other than through its client (e.g. the
   *     recorder could not write), after the other workers stopped
   */
  public Result run(Runnable beforeFinalReads) throws InterruptedException {
    if (startNanos >= 0) {
      throw new IllegalStateException("a worker pool runs once; make a new one");
    }
    startNanos = System.nanoTime();
    long deadline = startNanos + options.timeLimit().toNanos();
    int n = options.concurrency();
    long[] processes = new long[n];
    for (int i = 0; i < n; i++) {
      processes[i] = i;
    }
    runWorkers(n, i -> processes[i] = mainPhase(processes[i], deadline));
    long mainOps = invoked.get();
    rethrowFailure();
    beforeFinalReads.run();

    Queue<Command> reads = new ConcurrentLinkedQueue<>(generator.finalReads());
    Queue<String> unread = new ConcurrentLinkedQueue<>();
    long finalDeadline = System.nanoTime() + FINAL_PHASE_LIMIT.toNanos();
    runWorkers(n, i -> processes[i] = finalPhase(processes[i], reads, unread, finalDeadline));
    rethrowFailure();
    List<String> unreadKeys = new ArrayList<>(unread);
    unreadKeys.sort(null);
    return new Result(progress(), mainOps, List.copyOf(unreadKeys));
  }

  /** Ends the main phase early; ops in flight complete, and the final reads still run. */
  public void stop() {
    stopped = true;
  }

  /** The counters now; safe to call from any thread at any time. */
  public Progress progress() {
    long start = startNanos;
    long elapsed = start < 0 ? 0 : System.nanoTime() - start;
    return new Progress(elapsed, invoked.get(), ok.get(), fail.get(), info.get());
  }

  private interface Work {
    void run(int worker) throws InterruptedException;
  }

  private void runWorkers(int n, Work work) throws InterruptedException {
    List<Thread> threads = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int worker = i;
      Thread t =
          new Thread(
              () -> {
                try {
                  work.run(worker);
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                  stopped = true;
                }
              },
              "worker-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private long mainPhase(long process, long deadline) {
    Client client = clients.open(process);
    try {
      while (true) {
        Command command;
        long ticket;
        synchronized (turn) {
          if (stopped || drawn >= options.opLimit() || System.nanoTime() - deadline >= 0) {
            return process;
          }
          command = generator.next();
          ticket = drawn++;
        }
        if (!awaitTurn(ticket, deadline)) {
          return process;
        }
        Completion c = perform(process, client, command);
        if (c.isInfo()) {
          client.close();
          process += options.concurrency();
          client = clients.open(process);
        }
      }
    } finally {
      client.close();
    }
  }

  /** Waits for the rate limit's slot of the ticket-th op; false when the run ends first. */
  private boolean awaitTurn(long ticket, long deadline) {
    if (options.opsPerSecond() <= 0) {
      return true;
    }
    long due = startNanos + (long) (ticket * 1e9 / options.opsPerSecond());
    while (true) {
      long now = System.nanoTime();
      if (stopped || now - deadline >= 0) {
        return false;
      }
      if (now - due >= 0) {
        return true;
      }
      LockSupport.parkNanos(Math.min(due - now, deadline - now));
    }
  }

  private long finalPhase(long process, Queue<Command> reads, Queue<String> unread, long deadline)
      throws InterruptedException {
    Client client = clients.open(process);
    try {
      Command read;
      while ((read = reads.poll()) != null) {
        if (System.nanoTime() - deadline >= 0) {
          // A node that stays down (e.g. it refused to start after a disk fault) would otherwise
          // cost every key bound to it all its attempts; past the limit the rest are unread.
          unread.add(read.key());
          continue;
        }
        boolean done = false;
        for (int attempt = 1; attempt <= options.finalReadAttempts() && !done; attempt++) {
          if (attempt > 1) {
            Thread.sleep(options.finalReadBackoff().multipliedBy(attempt - 1).toMillis());
          }
          Completion c = perform(process, client, read);
          done = c.isOk();
          if (c.isInfo()) {
            client.close();
            process += options.concurrency();
            client = clients.open(process);
          }
        }
        if (!done) {
          unread.add(read.key());
        }
      }
      return process;
    } finally {
      client.close();
    }
  }

  private Completion perform(long process, Client client, Command command) {
    Op invocation = recorder.invoke(process, command.f(), command.key(), command.invokeValue());
    invoked.incrementAndGet();
    Completion c;
    try {
      c = client.execute(command);
    } catch (RuntimeException e) {
      // The client broke mid-op; whether the op reached the cluster is unknown.
      c = Completion.info("client-error: " + e.getClass().getSimpleName(), null);
    }
    recorder.complete(invocation, c.type(), c.value(), c.node(), c.error());
    switch (c.type()) {
      case OK -> ok.incrementAndGet();
      case FAIL -> fail.incrementAndGet();
      default -> info.incrementAndGet();
    }
    return c;
  }

  private void rethrowFailure() {
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("a worker failed: " + t, t);
    }
  }
}
