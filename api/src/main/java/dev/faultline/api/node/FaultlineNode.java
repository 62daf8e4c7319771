package dev.faultline.api.node;

import dev.faultline.api.NodeAddress;
import dev.faultline.api.config.NodeBug;
import dev.faultline.api.config.NodeConfig;
import dev.faultline.api.grpc.GrpcTransport;
import dev.faultline.api.metrics.NodeMetrics;
import dev.faultline.api.metrics.RaftMetrics;
import dev.faultline.api.security.ExposurePolicy;
import dev.faultline.api.security.TlsCredentials;
import dev.faultline.raft.DeliberateBug;
import dev.faultline.raft.LogStorage;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.runtime.NodeOptions;
import dev.faultline.raft.runtime.NodeStatus;
import dev.faultline.raft.runtime.RaftNode;
import dev.faultline.store.KvStateMachine;
import dev.faultline.store.StoreLimits;
import dev.faultline.store.StoreOptions;
import dev.faultline.store.StoreStats;
import dev.faultline.store.wal.DurableLogStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole node: durable log and snapshots in the data directory, the key-value state machine, the
 * Raft runtime over the gRPC transport, and the HTTP and gRPC client servers, with metrics sampled
 * from the runtime and the store every tick. {@link #close} stops everything.
 */
public final class FaultlineNode implements AutoCloseable {

  /** The store-side deliberate bug's name; see {@link NodeBug} for all of them. */
  public static final String LOST_REBUILD_WRITES = NodeBug.LOST_REBUILD_WRITES.cliName();

  private final NodeConfig config;
  private final NodeMetrics metrics;
  private final DurableLogStorage storage;
  private final KvStateMachine machine;
  private final GrpcTransport transport;
  private final RaftNode raft;
  private final ClientEdges edges;
  private final TlsCredentials tls;
  private final ScheduledExecutorService sampler;
  private final ExecutorService replies;
  private String lastLeader;

  private static final Logger LOG = LoggerFactory.getLogger(FaultlineNode.class);

  private FaultlineNode(NodeConfig config) throws IOException {
    this.config = config;
    for (String warning : ExposurePolicy.check(config)) {
      LOG.warn("{}", warning);
    }
    this.tls = ClientEdges.tls(config);
    if (tls != null && config.tlsReloadMs() > 0) {
      tls.watch(java.time.Duration.ofMillis(config.tlsReloadMs()));
    }
    Set<NodeBug> bugs = config.bugSet();
    Set<DeliberateBug> raftBugs = EnumSet.noneOf(DeliberateBug.class);
    for (NodeBug bug : bugs) {
      if (bug.raftBug() != null) {
        raftBugs.add(bug.raftBug());
      }
    }
    this.metrics = new NodeMetrics();
    this.storage = DurableLogStorage.open(config.dataDir());
    this.machine =
        new KvStateMachine(
            StoreOptions.DEFAULT
                .withShards(config.shards())
                .withLimits(new StoreLimits(config.maxKeyBytes(), config.maxValueBytes()))
                .withLostRebuildWrites(bugs.contains(NodeBug.LOST_REBUILD_WRITES)));
    this.replies = RaftReplica.replyPool("faultline-replies-" + config.id());
    GrpcTransport link = null;
    RaftNode node = null;
    MemberDirectory directory;
    try {
      link = ClientEdges.transport(config, tls);
      List<String> members = members(config);
      directory = new MemberDirectory(config, link);
      // A joining node has no configuration of its own: it is not a voter (so never campaigns)
      // until a configuration naming it as one is committed and reaches it.
      RaftConfig raftConfig =
          withinPeerMessages(
              RaftConfig.of(config.id(), config.join() ? Set.of() : new LinkedHashSet<>(members))
                  .withTicks(config.electionTicks(), config.heartbeatTicks())
                  .withBugs(raftBugs),
              config.maxPeerMessageBytes());
      if (bugs.contains(NodeBug.STALE_READ)) {
        // Without check-quorum a leader cut off from the majority keeps believing it leads, which
        // is what lets the stale reads show (with it, §6.4's lease-less leader steps down).
        raftConfig = raftConfig.withElectionSafety(raftConfig.preVote(), false);
      }
      LogStorage disk =
          config.fsyncDelayMicros() > 0
              ? new DelayedSyncStorage(storage, config.fsyncDelayMicros() * 1000)
              : storage;
      LogStorage log = new TimedLogStorage(disk, metrics.raft());
      LocalAppendAcks acks = null;
      if (bugs.contains(NodeBug.ACK_BEFORE_COMMIT)) {
        acks = new LocalAppendAcks(log);
        log = acks;
      }
      node =
          new RaftNode(
              raftConfig,
              new NodeOptions(Math.toIntExact(config.tickMs()), config.snapshotInterval(), 1024),
              log,
              new FileSnapshots(storage.snapshots(), metrics.raft()),
              machine,
              link);
      node.onMembership(directory::apply);
      node.observe(new RaftStages(metrics.raft()));
      node.start();
      RaftNode started = node;
      MemberDirectory known = directory;
      Replica replica =
          new RaftReplica(node, known::voters, replies, metrics.raft()::answerHandedOff);
      if (bugs.contains(NodeBug.STALE_READ) || bugs.contains(NodeBug.ACK_BEFORE_COMMIT)) {
        replica =
            new BuggyReplica(
                replica,
                bugs,
                () -> started.status().role() == dev.faultline.raft.Role.LEADER,
                machine::query,
                acks,
                replies);
      }
      ReplicatedBackend backend = new ReplicatedBackend(replica, known::lookup);
      this.edges =
          ClientEdges.start(config, backend, new RaftMembers(node, known, replies), metrics, tls);
    } catch (IOException | RuntimeException e) {
      if (node != null) {
        node.close();
      } else if (link != null) {
        link.close();
      }
      storage.close();
      machine.close();
      metrics.close();
      replies.shutdownNow();
      if (tls != null) {
        tls.close();
      }
      throw e;
    }
    this.transport = link;
    this.raft = node;
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "faultline-metrics-" + config.id());
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleAtFixedRate(this::sample, 0, config.tickMs(), TimeUnit.MILLISECONDS);
  }

  /** Opens the data directory, starts Raft and both client servers. */
  public static FaultlineNode start(NodeConfig config) throws IOException {
    return new FaultlineNode(config);
  }

  private static List<String> members(NodeConfig config) {
    List<String> ids = new ArrayList<>();
    for (NodeAddress p : config.peers()) {
      ids.add(p.id());
    }
    return ids.isEmpty() ? List.of(config.id()) : ids;
  }

  private void sample() {
    NodeStatus s = raft.status();
    RaftMetrics r = metrics.raft();
    r.term(s.term());
    r.role(role(s.role()));
    r.commitIndex(s.commitIndex());
    r.appliedIndex(s.appliedIndex());
    if (!Objects.equals(s.leader(), lastLeader)) {
      lastLeader = s.leader();
      r.leaderChanged();
    }
    r.replicationLag(raft.replicationLag());
    StoreStats stats = machine.stats();
    metrics.store().totals(stats.rebuildsCompleted(), stats.reclaimedBytesEstimate());
  }

  private static RaftMetrics.Role role(dev.faultline.raft.Role role) {
    return switch (role) {
      case LEADER -> RaftMetrics.Role.LEADER;
      case CANDIDATE -> RaftMetrics.Role.CANDIDATE;
      case PRE_CANDIDATE -> RaftMetrics.Role.PRE_CANDIDATE;
      case FOLLOWER -> RaftMetrics.Role.FOLLOWER;
    };
  }

  /**
   * Raft's batches (entries per AppendEntries, bytes per snapshot chunk) made to fit one message
   * between nodes: a larger one is dropped by the transport, every time it is sent, and the
   * follower it was for never catches up. A single entry always fits (the configuration checks it).
   */
  static RaftConfig withinPeerMessages(RaftConfig c, int maxPeerMessageBytes) {
    long room = maxPeerMessageBytes - NodeConfig.PEER_MESSAGE_OVERHEAD;
    return c.withFlowControl(
        c.maxInflightMsgs(),
        c.maxInflightBytes(),
        Math.min(c.maxMsgBytes(), room),
        (int) Math.min(c.snapshotChunkBytes(), room));
  }

  public NodeConfig config() {
    return config;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  public NodeStatus status() {
    return raft.status();
  }

  /**
   * Completes with a one-line reason when the Raft loop stops on a fatal error (storage failure, or
   * the node learning that it lost state it had acknowledged); the node then serves nothing, {@code
   * /healthz} answers 503, and the process should exit.
   */
  public java.util.concurrent.CompletableFuture<String> failed() {
    return raft.failed();
  }

  public int httpPort() {
    return edges.httpPort();
  }

  public int grpcPort() {
    return edges.grpcPort();
  }

  public int peerPort() {
    return transport.port();
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    edges.close();
    raft.close();
    replies.shutdown();
    transport.close();
    try {
      storage.close();
    } finally {
      machine.close();
      metrics.close();
      if (tls != null) {
        tls.close();
      }
    }
  }
}
