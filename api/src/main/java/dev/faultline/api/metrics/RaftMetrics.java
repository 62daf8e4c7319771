package dev.faultline.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The callbacks through which a Raft runtime reports what it does; each call is cheap and
 * thread-safe, so the event loop may call it inline. Gauges keep the last value reported.
 */
public final class RaftMetrics {

  /** A node's role, exported as the number {@link #code}. */
  public enum Role {
    FOLLOWER(0),
    PRE_CANDIDATE(1),
    CANDIDATE(2),
    LEADER(3),
    LEARNER(4);

    public final int code;

    Role(int code) {
      this.code = code;
    }
  }

  private final MeterRegistry registry;
  private final AtomicLong term = new AtomicLong();
  private final AtomicLong role = new AtomicLong();
  private final AtomicLong commitIndex = new AtomicLong();
  private final AtomicLong appliedIndex = new AtomicLong();
  private final ConcurrentMap<String, AtomicLong> lag = new ConcurrentHashMap<>();
  private final Counter leaderChanges;
  private final Timer append;
  private final Timer fsync;
  private final Counter snapshots;
  private final Counter snapshotsInstalled;
  private final DistributionSummary snapshotBytes;
  private final Timer snapshotTime;
  private final DistributionSummary syncEntries;
  private final DistributionSummary syncBatches;
  private final Timer stageWrite;
  private final Timer stageSync;
  private final Timer stageCommit;
  private final Timer stageApply;
  private final Timer[] handoffs = new Timer[4];
  private final Counter committedBeforeOwnSync;
  private final ConcurrentMap<String, Counter> messages = new ConcurrentHashMap<>();

  RaftMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("raft.term", term, AtomicLong::get)
        .description("Current Raft term")
        .register(registry);
    Gauge.builder("raft.role", role, AtomicLong::get)
        .description("0 follower, 1 pre-candidate, 2 candidate, 3 leader, 4 learner")
        .register(registry);
    Gauge.builder("raft.commit.index", commitIndex, AtomicLong::get)
        .description("Highest log index known committed")
        .register(registry);
    Gauge.builder("raft.applied.index", appliedIndex, AtomicLong::get)
        .description("Highest log index applied to the state machine")
        .register(registry);
    this.leaderChanges =
        Counter.builder("raft.leader.changes")
            .description("Times this node saw the leader change")
            .register(registry);
    this.append = latency("raft.append", "Time to append a batch of entries to the log");
    this.fsync = latency("raft.fsync", "Time to make a batch durable (one fsync per batch)");
    this.snapshots =
        Counter.builder("raft.snapshots").description("Snapshots taken").register(registry);
    this.snapshotsInstalled =
        Counter.builder("raft.snapshots.installed")
            .description("Snapshots installed from the leader (this node was too far behind)")
            .register(registry);
    this.snapshotBytes =
        DistributionSummary.builder("raft.snapshot.bytes")
            .baseUnit("bytes")
            .description("Size of snapshots taken")
            .register(registry);
    this.snapshotTime = latency("raft.snapshot", "Time to write a snapshot");
    this.syncEntries =
        DistributionSummary.builder("raft.sync.entries")
            .description("Log entries made durable by one sync (group commit)")
            .register(registry);
    this.syncBatches =
        DistributionSummary.builder("raft.sync.batches")
            .description("Ready batches released by one sync (pipelined group commit)")
            .register(registry);
    this.stageWrite = stage("write", "proposed until written to the leader's log");
    this.stageSync = stage("sync", "written until synced on the leader");
    this.stageCommit = stage("commit", "proposed until known committed");
    this.stageApply = stage("apply", "known committed until applied");
    for (int i = 0; i < 4; i++) {
      handoffs[i] =
          handoff((i & 2) != 0 ? "read" : "write", (i & 1) != 0 ? "caller" : "reply-pool");
    }
    this.committedBeforeOwnSync =
        Counter.builder("raft.proposals.committed.before.own.sync")
            .description("Proposals committed on the followers' acknowledgements alone")
            .register(registry);
  }

  /**
   * Counts one Raft message between nodes: {@code direction} is {@code sent} or {@code received},
   * {@code type} the message's kind. Called on the Raft loop's thread.
   */
  public void peerMessage(String direction, String type) {
    messages
        .computeIfAbsent(
            direction + ' ' + type,
            k ->
                Counter.builder("raft.messages")
                    .tag("direction", direction)
                    .tag("type", type)
                    .description(
                        "Raft messages between nodes, by direction and kind; EmptyAppendEntries"
                            + " carries a commit index or probes, no entries")
                    .register(registry))
        .increment();
  }

  private Timer stage(String stage, String description) {
    return Timer.builder("raft.proposal.stage")
        .tag("stage", stage)
        .description("Stages of a proposal on the leader: " + description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(1_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  private Timer handoff(String kind, String to) {
    return Timer.builder("raft.answer.handoff")
        .tag("kind", kind)
        .tag("to", to)
        .description(
            "From the Raft loop completing an answer until its continuation runs on the thread it"
                + " was handed to: the reply pool, or the caller's own network thread")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(1_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  /** An answer's continuation started {@code nanos} after the Raft loop completed it. */
  public void answerHandedOff(boolean read, boolean toCaller, long nanos) {
    handoffs[(read ? 2 : 0) | (toCaller ? 1 : 0)].record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One sync finished, covering {@code entries} entries in {@code batches} batches. */
  public void syncRound(int entries, int batches) {
    syncEntries.record(entries);
    syncBatches.record(batches);
  }

  /** A proposal made on this node applied; {@link System#nanoTime()} at each stage (0: none). */
  public void proposalApplied(
      long proposed, long written, long synced, long committed, long applied) {
    if (written > 0) {
      stageWrite.record(written - proposed, TimeUnit.NANOSECONDS);
    }
    if (synced > 0 && synced <= committed) {
      stageSync.record(synced - written, TimeUnit.NANOSECONDS);
    } else if (written > 0) {
      committedBeforeOwnSync.increment();
    }
    stageCommit.record(committed - proposed, TimeUnit.NANOSECONDS);
    stageApply.record(applied - committed, TimeUnit.NANOSECONDS);
  }

  private Timer latency(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  public void term(long value) {
    term.set(value);
  }

  public void role(Role value) {
    role.set(value.code);
  }

  public void commitIndex(long value) {
    commitIndex.set(value);
  }

  public void appliedIndex(long value) {
    appliedIndex.set(value);
  }

  /** The leader this node follows changed (including to "none"). */
  public void leaderChanged() {
    leaderChanges.increment();
  }

  public void appended(long nanos) {
    append.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void synced(long nanos) {
    fsync.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** How many entries {@code peer} trails the leader's last index by; reported by the leader. */
  public void replicationLag(String peer, long entries) {
    lag.computeIfAbsent(
            peer,
            p -> {
              AtomicLong holder = new AtomicLong();
              Gauge.builder("raft.replication.lag", holder, AtomicLong::get)
                  .description("Entries a peer trails the leader by")
                  .tag("peer", p)
                  .register(registry);
              return holder;
            })
        .set(entries);
  }

  /**
   * The leader's view of every peer's lag, as {@code RaftNode.replicationLag()} gives it: peers in
   * {@code byPeer} are set, peers reported before but absent now (this node no longer leads, or the
   * peer left) read 0, so only the current leader shows a lag.
   */
  public void replicationLag(Map<String, Long> byPeer) {
    for (var e : byPeer.entrySet()) {
      replicationLag(e.getKey(), e.getValue());
    }
    for (var e : lag.entrySet()) {
      if (!byPeer.containsKey(e.getKey())) {
        e.getValue().set(0);
      }
    }
  }

  /** This node replaced its log with a snapshot sent by the leader (Raft §7). */
  public void snapshotInstalled() {
    snapshotsInstalled.increment();
  }

  /** How many snapshots from the leader this node has installed since it started. */
  public long snapshotsInstalled() {
    return (long) snapshotsInstalled.count();
  }

  public void snapshotTaken(long bytes, long nanos) {
    snapshots.increment();
    snapshotBytes.record(bytes);
    snapshotTime.record(nanos, TimeUnit.NANOSECONDS);
  }
}
