package dev.faultline.raft;

import dev.faultline.raft.Message.AppendEntries;
import dev.faultline.raft.Message.AppendResponse;
import dev.faultline.raft.Message.Heartbeat;
import dev.faultline.raft.Message.InstallSnapshot;
import dev.faultline.raft.Message.PreVote;
import dev.faultline.raft.Message.PreVoteResponse;
import dev.faultline.raft.Message.RequestVote;
import dev.faultline.raft.Message.RequestVoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One node's Raft protocol as a pure, deterministic state machine (in the manner of etcd-io/raft).
 * Inputs are {@link #step}, {@link #tick}, {@link #propose}, {@link #readIndex}, {@link
 * #transferLeadership} and {@link #changeMembership}; the output is a {@link Ready} batch. It owns
 * no thread, clock or I/O: it reads its durable log through {@link LogStorage} but never writes it,
 * and its only randomness is the generator it was given. Between {@link #ready()} and {@link
 * #advance(Ready)} it accepts no input.
 */
public final class RaftCore {
  final RaftConfig config;
  final String id;
  final RaftLog log;
  final ProgressTracker tracker;
  final ReadIndexQueue reads = new ReadIndexQueue();
  private final RandomGenerator random;
  private final Replication replication;
  private final Follower follower;

  long term;
  String votedFor;
  String leader;
  Role role = Role.FOLLOWER;
  int electionElapsed;
  int heartbeatElapsed;
  private int randomizedElectionTimeout;
  String leadTransferee;
  long pendingConfIndex;
  private boolean campaignTransfer;

  /** The newest snapshot this node holds, to send to followers that fell behind compaction. */
  Ready.SnapshotInstall localSnapshot;

  Ready.SnapshotInstall pendingInstall;

  /** Why this node must stop: it lost log entries it had acknowledged; null while sound. */
  private String stateLoss;

  private HardState persistedHardState;
  private boolean readyOutstanding;
  final List<Message> messages = new ArrayList<>();
  final List<Message> persistedMessages = new ArrayList<>();
  final List<ReadState> readStates = new ArrayList<>();

  /**
   * Creates a node from what {@code storage} durably holds.
   *
   * @param snapshotData the bytes of {@code storage.snapshot()}, or null when there is none
   * @param applied the index the state machine has applied (or restored) up to
   */
  public RaftCore(
      RaftConfig config,
      LogStorage storage,
      RandomGenerator random,
      byte[] snapshotData,
      long applied) {
    this.config = config;
    this.id = config.id();
    this.random = random;
    this.log = new RaftLog(storage, applied);
    SnapshotMeta snap = storage.snapshot();
    if (snap.index() > 0 && snapshotData == null) {
      throw new IllegalArgumentException(
          "node "
              + id
              + ": storage holds a snapshot at index "
              + snap.index()
              + " but no snapshot data was given; pass the bytes of that snapshot");
    }
    Membership membership =
        snap.index() > 0 ? Membership.of(snap) : Membership.of(config.peers(), Set.of());
    if (log.applied > snap.index()) {
      List<Entry> replay = log.slice(snap.index() + 1, log.applied + 1, Long.MAX_VALUE);
      for (Entry e : replay == null ? List.<Entry>of() : replay) {
        if (e.type() == Entry.Type.CONFIG) {
          membership = Membership.decode(e.data(), e.index());
        }
      }
    }
    this.localSnapshot = snap.index() > 0 ? new Ready.SnapshotInstall(snap, snapshotData) : null;
    this.tracker =
        new ProgressTracker(id, membership, config.maxInflightMsgs(), config.maxInflightBytes());
    HardState hs = storage.hardState();
    this.term = hs.term();
    this.votedFor = hs.votedFor();
    this.persistedHardState = hs;
    this.replication = new Replication(this);
    this.follower = new Follower(this);
    resetRandomizedElectionTimeout();
  }

  // ---------------------------------------------------------------- observers

  public String id() {
    return id;
  }

  public Role role() {
    return role;
  }

  public long term() {
    return term;
  }

  /** The leader this node knows of in its term, or null. */
  public String leader() {
    return leader;
  }

  public String votedFor() {
    return votedFor;
  }

  public long commitIndex() {
    return log.committed;
  }

  /** The last index handed out for applying. */
  public long appliedIndex() {
    return log.applied;
  }

  public long lastIndex() {
    return log.lastIndex();
  }

  public long firstIndex() {
    return log.firstIndex();
  }

  /** The term of the entry at {@code index}, or -1 when it is compacted away or absent. */
  public long termAt(long index) {
    return log.term(index);
  }

  /** Entries in [lo, hi), or null when {@code lo} is compacted away. */
  public List<Entry> entries(long lo, long hi) {
    return log.slice(lo, hi, Long.MAX_VALUE);
  }

  public Membership membership() {
    return tracker.membership();
  }

  /** The leader's match index for {@code peer}, or -1 when not leader or not a member. */
  public long matchIndex(String peer) {
    Progress p = tracker.get(peer);
    return role == Role.LEADER && p != null ? p.match : -1;
  }

  /**
   * Why this node can no longer take part, or null: it learned that it lost log entries it had
   * acknowledged (its data was wiped, rolled back or lost a WAL segment). Such a node ignores every
   * input from then on (it neither votes nor campaigns nor acknowledges), since under the same
   * identity it could vote twice in a term or let a committed entry be lost; the runtime must stop
   * it, and the operator replace it through a membership change.
   */
  public String stateLoss() {
    return stateLoss;
  }

  /** The leadership transfer in progress, or null. */
  public String transferee() {
    return leadTransferee;
  }

  // ---------------------------------------------------------------- inputs

  /** Advances logical time by one tick: elections for followers, heartbeats for the leader. */
  public void tick() {
    requireNoReady();
    if (stateLoss != null) {
      return;
    }
    if (role == Role.LEADER) {
      replication.tick();
      return;
    }
    electionElapsed++;
    if (promotable() && electionElapsed >= randomizedElectionTimeout) {
      electionElapsed = 0;
      campaign(config.preVote(), false);
    } else if (role != Role.FOLLOWER && electionElapsed % config.heartbeatTicks() == 0) {
      requestVotes(role == Role.PRE_CANDIDATE, true); // §5.2: retry unanswered vote requests
    }
  }

  /** Starts an election now (as if the election timer fired). */
  public void campaign() {
    requireNoReady();
    if (role != Role.LEADER && stateLoss == null) {
      campaign(config.preVote(), false);
    }
  }

  /** Handles a message from a peer. */
  public void step(Message m) {
    requireNoReady();
    if (!id.equals(m.to())) {
      throw new IllegalArgumentException(
          "node " + id + " was handed a message addressed to " + m.to() + ": " + m);
    }
    if (stateLoss != null) {
      return;
    }
    if (m.term() > term) {
      if (m instanceof PreVote || m instanceof RequestVote) {
        boolean transfer = m instanceof RequestVote rv && rv.transfer();
        if (!transfer && inLease()) {
          // §9.6 with check-quorum: a node that hears from a live leader ignores campaigns, so a
          // partitioned node cannot depose a working leader when it rejoins.
          return;
        }
      }
      if (m instanceof PreVote) {
        // a pre-vote never changes anyone's term
      } else if (m instanceof PreVoteResponse r && r.granted()) {
        // a grant carries the proposed term, not the voter's
      } else {
        boolean fromLeader =
            m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot;
        becomeFollower(m.term(), fromLeader ? m.from() : null); // §5.1
      }
    } else if (m.term() < term) {
      if ((config.checkQuorum() || config.preVote())
          && (m instanceof AppendEntries || m instanceof Heartbeat)) {
        // Tell a stale leader our term so it steps down; with pre-vote we would never raise
        // its term by campaigning, and it could otherwise lead a minority forever.
        send(new AppendResponse(id, m.from(), term, false, 0, 0, 0));
      } else if (m instanceof PreVote) {
        send(new PreVoteResponse(id, m.from(), term, false));
      }
      return; // §5.1: stale messages are otherwise ignored
    }

    if (m instanceof PreVote pv) {
      handleVoteRequest(pv.from(), pv.term(), pv.lastIndex(), pv.lastTerm(), true);
    } else if (m instanceof RequestVote rv) {
      handleVoteRequest(rv.from(), rv.term(), rv.lastIndex(), rv.lastTerm(), false);
    } else {
      switch (role) {
        case LEADER -> replication.step(m);
        case CANDIDATE, PRE_CANDIDATE -> stepCandidate(m);
        case FOLLOWER -> follower.step(m);
      }
    }
  }

  /** Appends a command if this node leads; the result says where, or why not. */
  public ProposeResult propose(byte[] data) {
    requireNoReady();
    if (role != Role.LEADER) {
      return new ProposeResult.Refused(
          "node " + id + " is not the leader in term " + term + "; send to the leader", leader);
    }
    if (leadTransferee != null) {
      return new ProposeResult.Refused(
          "node " + id + " is handing leadership to " + leadTransferee + "; retry there", null);
    }
    Entry e = replication.append(Entry.Type.COMMAND, data);
    return new ProposeResult.Accepted(term, e.index());
  }

  /**
   * Starts a linearizable read identified by {@code context}; a {@link ReadState} follows once the
   * read index is confirmed. Returns false when this node does not lead.
   */
  public boolean readIndex(byte[] context) {
    requireNoReady();
    if (role != Role.LEADER) {
      return false;
    }
    replication.read(context);
    return true;
  }

  /** Hands leadership to the voter {@code to} once it is caught up (dissertation §3.10). */
  public boolean transferLeadership(String to) {
    requireNoReady();
    return role == Role.LEADER && replication.transfer(to);
  }

  /** Proposes a single-server membership change (dissertation §4.1). */
  public ProposeResult changeMembership(MembershipChange change) {
    requireNoReady();
    if (role != Role.LEADER) {
      return new ProposeResult.Refused(
          "node " + id + " is not the leader in term " + term + "; send to the leader", leader);
    }
    return replication.changeMembership(change);
  }

  /**
   * The runtime stored a snapshot of the state machine at {@code meta.index()} (and compacted
   * storage behind it); followers that fell behind are sent these bytes.
   */
  public void snapshotTaken(SnapshotMeta meta, byte[] data) {
    if (localSnapshot == null || meta.index() > localSnapshot.meta().index()) {
      localSnapshot = new Ready.SnapshotInstall(meta, data);
    }
  }

  // ---------------------------------------------------------------- output

  public boolean hasReady() {
    if (role == Role.LEADER) {
      replication.flush();
    }
    return !messages.isEmpty()
        || !persistedMessages.isEmpty()
        || !readStates.isEmpty()
        || !log.unstable.entries.isEmpty()
        || pendingInstall != null
        || !hardState().equals(persistedHardState)
        || log.hasNextCommitted();
  }

  /** Takes the pending work; the core accepts no input until {@link #advance(Ready)}. */
  public Ready ready() {
    requireNoReady();
    List<Entry> committed = log.nextCommitted(config.maxMsgBytes() * 4);
    if (!committed.isEmpty()) {
      log.applied = committed.get(committed.size() - 1).index();
      for (Entry e : committed) {
        if (e.type() == Entry.Type.CONFIG) {
          applyMembership(Membership.decode(e.data(), e.index()));
        }
      }
    }
    if (role == Role.LEADER) {
      replication.flush();
    }
    HardState hs = hardState();
    Ready rd =
        new Ready(
            hs.equals(persistedHardState) ? null : hs,
            List.copyOf(log.unstable.entries),
            pendingInstall,
            List.copyOf(messages),
            List.copyOf(persistedMessages),
            committed,
            List.copyOf(readStates));
    pendingInstall = null;
    messages.clear();
    persistedMessages.clear();
    readStates.clear();
    readyOutstanding = true;
    return rd;
  }

  /** {@code rd} is written, synced and applied. */
  public void advance(Ready rd) {
    advanceWritten(rd);
    synced(log.lastStableIndex());
  }

  /**
   * {@code rd} is written and applied, perhaps not synced: the leader's own match waits for {@link
   * #synced} (§10.2.1). The runtime's rules: ReadyLoop#pump and docs/STORAGE.md.
   */
  public void advanceWritten(Ready rd) {
    if (!readyOutstanding) {
      throw new IllegalStateException("node " + id + ": advance without an outstanding ready");
    }
    readyOutstanding = false;
    if (rd.snapshot() != null) {
      log.unstable.stableSnapTo(rd.snapshot().meta().index());
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      log.unstable.stableTo(last.index(), last.term());
    }
    if (rd.hardState() != null) {
      persistedHardState = rd.hardState();
    }
  }

  /** Storage is synced up to {@code index}; a leader now counts itself up to there. */
  public void synced(long index) {
    requireNoReady();
    log.durable = Math.max(log.durable, Math.min(index, log.lastStableIndex()));
    if (role == Role.LEADER) {
      replication.onStable(log.durableIndex());
    }
  }

  // ---------------------------------------------------------------- elections

  boolean promotable() {
    return stateLoss == null && tracker.isVoter(id);
  }

  /**
   * The leader {@code from} says this node acknowledged entries up to {@code acknowledged}, but the
   * log ends before it: the node lost durable state and stops taking part.
   */
  void declareStateLoss(String from, long acknowledged) {
    stateLoss =
        "node "
            + id
            + " lost acknowledged log entries: leader "
            + from
            + " in term "
            + term
            + " holds its acknowledgement up to index "
            + acknowledged
            + ", but its log ends at index "
            + log.lastIndex()
            + " (data directory wiped, restored from an older copy, or a WAL segment lost);"
            + " it must not rejoin under the same id: see docs/CLUSTER.md, 'Replacing a node that"
            + " lost its data'";
    role = Role.FOLLOWER;
    leader = null;
  }

  private boolean inLease() {
    return config.checkQuorum() && leader != null && electionElapsed < config.electionTicks();
  }

  private HardState hardState() {
    String vote = config.has(DeliberateBug.VOTE_NOT_PERSISTED) ? null : votedFor;
    return new HardState(term, vote, log.committed);
  }

  private void handleVoteRequest(
      String from, long msgTerm, long lastIndex, long lastTerm, boolean pre) {
    // §5.2: one vote per term, first come first served; §5.4.1: only for an up-to-date log.
    boolean canVote =
        from.equals(votedFor) || (votedFor == null && leader == null) || (pre && msgTerm > term);
    boolean grant = canVote && log.isUpToDate(lastIndex, lastTerm);
    if (pre) {
      send(new PreVoteResponse(id, from, grant ? msgTerm : term, grant));
      return;
    }
    if (grant) {
      electionElapsed = 0;
      votedFor = from;
    }
    sendPersisted(new RequestVoteResponse(id, from, term, grant));
  }

  void campaign(boolean pre, boolean transfer) {
    if (!promotable()) {
      return;
    }
    if (pre) {
      role = Role.PRE_CANDIDATE;
      leader = null;
      tracker.resetVotes();
    } else {
      reset(term + 1);
      role = Role.CANDIDATE;
      votedFor = id;
    }
    tracker.recordVote(id, true);
    if (tracker.tally() == Quorum.VoteResult.WON) {
      if (pre) {
        campaign(false, transfer);
      } else {
        becomeLeader();
      }
      return;
    }
    campaignTransfer = transfer;
    requestVotes(pre, false);
  }

  private void requestVotes(boolean pre, boolean unansweredOnly) {
    long voteTerm = pre ? term + 1 : term;
    boolean transfer = campaignTransfer;
    for (String v : tracker.membership().voters()) {
      if (v.equals(id) || (unansweredOnly && tracker.hasVoted(v))) {
        continue;
      }
      if (pre) {
        send(new PreVote(id, v, voteTerm, log.lastIndex(), log.lastTerm()));
      } else {
        // Sent once our own vote is durable, so a crash cannot make us vote twice in the term.
        sendPersisted(new RequestVote(id, v, voteTerm, log.lastIndex(), log.lastTerm(), transfer));
      }
    }
  }

  private void stepCandidate(Message m) {
    if (m instanceof AppendEntries || m instanceof Heartbeat || m instanceof InstallSnapshot) {
      becomeFollower(term, m.from()); // §5.2: another node won this term
      follower.step(m);
    } else if (m instanceof PreVoteResponse r && role == Role.PRE_CANDIDATE) {
      tallyVote(r.from(), r.granted(), true);
    } else if (m instanceof RequestVoteResponse r && role == Role.CANDIDATE) {
      tallyVote(r.from(), r.granted(), false);
    }
  }

  private void tallyVote(String from, boolean granted, boolean pre) {
    tracker.recordVote(from, granted);
    switch (tracker.tally()) {
      case WON -> {
        if (pre) {
          campaign(false, false);
        } else {
          becomeLeader();
        }
      }
      case LOST -> becomeFollower(term, null);
      case PENDING -> {}
    }
  }

  void becomeFollower(long newTerm, String newLeader) {
    reset(newTerm);
    role = Role.FOLLOWER;
    leader = newLeader;
  }

  private void becomeLeader() {
    reset(term);
    role = Role.LEADER;
    leader = id;
    replication.becomeLeader();
  }

  private void reset(long newTerm) {
    if (newTerm != term) {
      term = newTerm;
      votedFor = null;
    }
    leader = null;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    resetRandomizedElectionTimeout();
    leadTransferee = null;
    tracker.reset(log.lastIndex() + 1);
    reads.clear();
    replication.reset();
  }

  private void resetRandomizedElectionTimeout() {
    // §5.2: randomised timeouts make split votes rare.
    randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
  }

  private void applyMembership(Membership next) {
    tracker.setMembership(next, log.lastIndex() + 1);
    if (role == Role.LEADER) {
      if (!next.voters().contains(id)) {
        becomeFollower(term, null); // dissertation §4.2.2: a removed leader steps down
        return;
      }
      replication.onMembershipChanged();
    }
  }

  // ---------------------------------------------------------------- plumbing

  void send(Message m) {
    messages.add(m);
  }

  void sendPersisted(Message m) {
    persistedMessages.add(m);
  }

  private void requireNoReady() {
    if (readyOutstanding) {
      throw new IllegalStateException(
          "node " + id + ": input while a Ready is outstanding; call advance first");
    }
  }

  @Override
  public String toString() {
    return id
        + " "
        + role
        + " term="
        + term
        + " commit="
        + log.committed
        + " last="
        + log.lastIndex();
  }
}
