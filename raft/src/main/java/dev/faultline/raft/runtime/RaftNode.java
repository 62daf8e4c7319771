package dev.faultline.raft.runtime;

import dev.faultline.raft.LogStorage;
import dev.faultline.raft.Membership;
import dev.faultline.raft.MembershipChange;
import dev.faultline.raft.Message;
import dev.faultline.raft.MessageCodec;
import dev.faultline.raft.ProposeResult;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.RaftCore;
import dev.faultline.raft.Role;
import dev.faultline.raft.SnapshotMeta;
import dev.faultline.raft.StateMachine;
import dev.faultline.raft.Transport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one {@link RaftCore} in production: one event-loop thread steps inbound messages and client
 * requests, ticks on real time, writes each batch, applies committed entries to the {@link
 * StateMachine}, and completes client futures; a second thread syncs the log (pipelined group
 * commit, {@link ReadyLoop#pump}: one sync at a time covering every batch written before it began)
 * and only then are the messages that promise durability released. Futures complete on the loop
 * thread; chain with the {@code *Async} methods for heavy work.
 *
 * <p>A proposal's future fails with {@link NotLeaderException} when this node does not lead (it had
 * no effect), and with {@link OutcomeUnknownException} when leadership is lost after the entry was
 * appended but before it was known committed.
 */
public final class RaftNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());

  /** Work for the loop; {@code future} (may be null) is failed if the node stops first. */
  private record Task(CompletableFuture<?> future, Runnable work) {}

  private final RaftConfig config;
  private final NodeOptions options;
  private final LogStorage storage;
  private final SnapshotStore snapshots;
  private final StateMachine stateMachine;
  private final Transport transport;
  private final LinkedBlockingQueue<Task> inbox = new LinkedBlockingQueue<>();
  private final Thread loop;
  private final ExecutorService syncer;
  private final Runnable wake = () -> inbox.add(new Task(null, () -> {}));
  private final CompletableFuture<String> failed = new CompletableFuture<>();

  private RaftCore core;
  private ReadyLoop ready;
  private volatile boolean running;
  private volatile NodeStatus status;
  private volatile Map<String, Long> replicationLag = Map.of();
  private volatile Map<String, Long> matchIndex = Map.of();
  private volatile long lastIndex;
  private volatile Membership membership;
  private Consumer<Membership> membershipListener = m -> {};
  private ReadyLoop.Observer observer = ReadyLoop.Observer.NONE;

  public RaftNode(
      RaftConfig config,
      NodeOptions options,
      LogStorage storage,
      SnapshotStore snapshots,
      StateMachine stateMachine,
      Transport transport) {
    this.config = config;
    this.options = options;
    this.storage = storage;
    this.snapshots = snapshots;
    this.stateMachine = stateMachine;
    this.transport = transport;
    this.loop = new Thread(this::run, "raft-" + config.id());
    this.loop.setDaemon(true);
    this.syncer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "raft-sync-" + config.id());
              t.setDaemon(true);
              return t;
            });
    this.status = new NodeStatus(config.id(), Role.FOLLOWER, 0, null, 0, 0);
  }

  /**
   * Calls {@code listener} on the loop thread with the configuration in force at start and with
   * each new one as it is applied (a committed membership change, or a snapshot's). Set before
   * {@link #start}; the listener must be quick and must not throw.
   */
  public void onMembership(Consumer<Membership> listener) {
    this.membershipListener = listener;
  }

  /**
   * Watches the loop (stage times of proposals, sync rounds) from the loop thread and the sync
   * thread; set before {@link #start}. The observer must be quick and must not throw.
   */
  public void observe(ReadyLoop.Observer observer) {
    this.observer = observer;
  }

  /** The configuration in force on this node (the last one applied), or null before start. */
  public Membership membership() {
    return membership;
  }

  /** Restores from storage and the snapshot store, then starts the transport and the loop. */
  public void start() throws IOException {
    SnapshotMeta snap = storage.snapshot();
    byte[] data = null;
    if (snap.index() > 0) {
      data = snapshots.load(snap);
      if (data == null) {
        throw new IOException(
            "node "
                + config.id()
                + ": log storage names a snapshot at index "
                + snap.index()
                + " term "
                + snap.term()
                + " but the snapshot store does not hold it; restore the snapshot files");
      }
      if (stateMachine.appliedIndex() < snap.index()) {
        stateMachine.restoreSnapshot(snap.index(), new ByteArrayInputStream(data));
      }
    }
    long applied = Math.max(stateMachine.appliedIndex(), snap.index());
    core = new RaftCore(config, storage, new SplittableRandom(), data, applied);
    ready =
        new ReadyLoop(
            core,
            storage,
            snapshots,
            stateMachine,
            this::send,
            options.snapshotEvery(),
            applied,
            observer);
    membership = core.membership();
    membershipListener.accept(membership);
    running = true;
    transport.start(this::receive);
    loop.start();
  }

  public String id() {
    return config.id();
  }

  public NodeStatus status() {
    return status;
  }

  /**
   * Completes with a one-line reason when the event loop stops on a fatal error (a storage failure,
   * a broken invariant, or the core learning that this node lost acknowledged state); the node then
   * serves nothing and its process should exit. Never completes on {@link #close}.
   */
  public CompletableFuture<String> failed() {
    return failed;
  }

  /** The reason the event loop stopped on a fatal error, or null while it runs (or was closed). */
  public String failure() {
    return failed.getNow(null);
  }

  /**
   * How many entries each other member's log trails this leader's last index by, as this leader
   * knows it (from the followers' acknowledgements), refreshed every tick; empty on a node that
   * does not lead.
   */
  public Map<String, Long> replicationLag() {
    return replicationLag;
  }

  /**
   * Each other member's match index as this leader knows it, refreshed every tick; empty on a node
   * that does not lead.
   */
  public Map<String, Long> matchIndex() {
    return matchIndex;
  }

  /** The last index of this node's log, as of the last tick. */
  public long lastIndex() {
    return lastIndex;
  }

  /** Replicates {@code command}; completes with the state machine's result once applied here. */
  public CompletableFuture<byte[]> propose(byte[] command) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    submit(f, () -> ready.propose(command, f));
    return f;
  }

  /** A linearizable read: ReadIndex, then {@link StateMachine#query} once applied that far. */
  public CompletableFuture<byte[]> read(byte[] query) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    submit(f, () -> ready.read(query, f));
    return f;
  }

  /** Asks the leader to hand leadership to {@code to}; true when the transfer started. */
  public CompletableFuture<Boolean> transferLeadership(String to) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    submit(f, () -> f.complete(core.transferLeadership(to)));
    return f;
  }

  /** Proposes a membership change; completes with its log index once applied here. */
  public CompletableFuture<Long> changeMembership(MembershipChange change) {
    CompletableFuture<byte[]> inner = new CompletableFuture<>();
    CompletableFuture<Long> f = new CompletableFuture<>();
    submit(
        f,
        () -> {
          ProposeResult r = ready.changeMembership(change, inner);
          long index = r instanceof ProposeResult.Accepted a ? a.index() : -1;
          inner.whenComplete(
              (v, e) -> {
                if (e != null) {
                  f.completeExceptionally(e);
                } else {
                  // On the loop thread, where the core already switched to the new configuration:
                  // whoever sees the answer sees the configuration it made.
                  publishMembership();
                  f.complete(index);
                }
              });
        });
    return f;
  }

  private void submit(CompletableFuture<?> f, Runnable task) {
    if (!running) {
      f.completeExceptionally(new IllegalStateException("node " + config.id() + " is stopped"));
      return;
    }
    inbox.add(new Task(f, task));
  }

  private void receive(String from, byte[] bytes) {
    if (!running) {
      return;
    }
    inbox.add(
        new Task(
            null,
            () -> {
              Message m;
              try {
                m = MessageCodec.decode(bytes);
              } catch (IllegalArgumentException e) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "node {0}: dropped a message from {1}: {2}",
                    config.id(),
                    from,
                    e.getMessage());
                return;
              }
              observer.messageReceived(m);
              core.step(m);
            }));
  }

  private void run() {
    long tickNanos = TimeUnit.MILLISECONDS.toNanos(options.tickMillis());
    long nextTick = System.nanoTime() + tickNanos;
    while (running) {
      try {
        long wait = nextTick - System.nanoTime();
        Task task = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : inbox.poll();
        for (int n = 0; task != null && n < options.maxBatch(); n++) {
          task.work().run();
          task = n + 1 < options.maxBatch() ? inbox.poll() : null;
        }
        long now = System.nanoTime();
        if (now >= nextTick) {
          core.tick();
          nextTick = Math.max(nextTick + tickNanos, now);
          publishReplicationLag();
        }
        processReady();
        if (core.stateLoss() != null) {
          stop(core.stateLoss(), null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | IOException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        stop("node " + config.id() + ": event loop stopped: " + why.replace('\n', ' '), e);
      }
    }
    if (ready != null) {
      ready.abandonSync(); // nothing it covers is released: the node stops unanswered
    }
    syncer.shutdown();
    failAll(new OutcomeUnknownException("node " + config.id() + " stopped"));
  }

  /** Stops the loop on a fatal error: nothing more is stepped, persisted or answered. */
  private void stop(String reason, Throwable cause) {
    running = false;
    if (cause == null) {
      LOG.log(System.Logger.Level.ERROR, reason);
    } else {
      LOG.log(System.Logger.Level.ERROR, reason, cause);
    }
    failed.complete(reason);
  }

  private void processReady() throws IOException {
    ready.pump(syncer, wake);
    // Published before futures fail, so a caller that sees the failure sees the new role.
    status =
        new NodeStatus(
            config.id(),
            core.role(),
            core.term(),
            core.leader(),
            core.commitIndex(),
            ready.applied());
    publishMembership();
    ready.settle();
  }

  private void publishMembership() {
    Membership now = core.membership();
    if (!now.equals(membership)) {
      membership = now;
      membershipListener.accept(now);
    }
  }

  private void publishReplicationLag() {
    long last = core.lastIndex();
    lastIndex = last;
    if (core.role() != Role.LEADER) {
      if (!replicationLag.isEmpty()) {
        replicationLag = Map.of();
        matchIndex = Map.of();
      }
      return;
    }
    var lag = new TreeMap<String, Long>();
    var matches = new TreeMap<String, Long>();
    for (String peer : core.membership().voters()) {
      addLag(lag, matches, peer, last);
    }
    for (String peer : core.membership().learners()) {
      addLag(lag, matches, peer, last);
    }
    replicationLag = Collections.unmodifiableMap(lag);
    matchIndex = Collections.unmodifiableMap(matches);
  }

  private void addLag(Map<String, Long> lag, Map<String, Long> matches, String peer, long last) {
    long match = core.matchIndex(peer);
    if (!peer.equals(config.id()) && match >= 0) {
      lag.put(peer, Math.max(0, last - match));
      matches.put(peer, match);
    }
  }

  private void send(List<Message> messages) {
    for (Message m : messages) {
      observer.messageSent(m);
      transport.send(m.to(), MessageCodec.encode(m));
    }
  }

  private void failAll(RuntimeException e) {
    if (ready != null) {
      ready.failAll(e);
    }
    for (Task task; (task = inbox.poll()) != null; ) {
      if (task.future() != null) {
        task.future()
            .completeExceptionally(
                new IllegalStateException("node " + config.id() + " stopped before the request"));
      }
    }
  }

  /** Stops the loop and the transport; outstanding requests fail with an unknown outcome. */
  @Override
  public void close() {
    running = false;
    inbox.add(new Task(null, () -> {}));
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    transport.close();
  }
}
