package dev.faultline.raft;

import dev.faultline.raft.Message.AppendEntries;
import dev.faultline.raft.Message.AppendResponse;
import dev.faultline.raft.Message.Heartbeat;
import dev.faultline.raft.Message.HeartbeatResponse;
import dev.faultline.raft.Message.InstallSnapshot;
import dev.faultline.raft.Message.SnapshotResponse;
import dev.faultline.raft.Message.TimeoutNow;

/**
 * The follower's half of the core: accepting AppendEntries under the log-matching rules (§5.3),
 * heartbeats, snapshot chunks assembled in order and installed under the rules of §7, and
 * leadership-transfer requests.
 */
final class Follower {
  private final RaftCore c;
  private SnapshotAssembly assembly;

  Follower(RaftCore core) {
    this.c = core;
  }

  void step(Message m) {
    if (m instanceof AppendEntries ae) {
      c.electionElapsed = 0;
      c.leader = ae.from();
      handleAppend(ae);
    } else if (m instanceof Heartbeat hb) {
      c.electionElapsed = 0;
      c.leader = hb.from();
      if (hb.commit() > c.log.lastIndex()) {
        // The leader sends at most what this node acknowledged in this term; a log that ends
        // before it means acknowledged entries were lost (wiped, rolled back or missing data).
        c.declareStateLoss(hb.from(), hb.commit());
        return;
      }
      c.log.commitTo(hb.commit());
      c.send(new HeartbeatResponse(c.id, hb.from(), c.term, hb.readSeq()));
    } else if (m instanceof InstallSnapshot is) {
      c.electionElapsed = 0;
      c.leader = is.from();
      handleSnapshotChunk(is);
    } else if (m instanceof TimeoutNow && c.promotable()) {
      c.campaign(false, true); // the leader asked us to take over: skip pre-vote
    }
  }

  private void handleAppend(AppendEntries m) {
    if (m.prevIndex() < c.log.committed && !c.config.has(DeliberateBug.TRUNCATE_COMMITTED)) {
      c.sendPersisted(new AppendResponse(c.id, m.from(), c.term, true, c.log.committed, 0, 0));
      return;
    }
    if (!c.log.matchTerm(m.prevIndex(), m.prevTerm())) {
      // §5.3: refuse, with a hint that lets the leader skip the whole conflicting term.
      long[] hint =
          c.log.findConflictByTerm(Math.min(m.prevIndex(), c.log.lastIndex()), m.prevTerm());
      c.send(new AppendResponse(c.id, m.from(), c.term, false, m.prevIndex(), hint[0], hint[1]));
      return;
    }
    long lastNew = m.prevIndex() + m.entries().size();
    if (c.config.has(DeliberateBug.TRUNCATE_COMMITTED)) {
      if (!m.entries().isEmpty()) {
        c.log.append(m.entries());
      }
    } else {
      long conflict = c.log.findConflict(m.entries());
      if (conflict != 0) {
        if (conflict <= c.log.committed) {
          throw new IllegalStateException(
              "node "
                  + c.id
                  + " term "
                  + c.term
                  + ": entry "
                  + conflict
                  + " conflicts with the committed log (commit "
                  + c.log.committed
                  + ")");
        }
        c.log.append(
            m.entries().subList((int) (conflict - m.entries().get(0).index()), m.entries().size()));
      }
    }
    c.log.commitTo(Math.min(m.commit(), lastNew));
    c.sendPersisted(new AppendResponse(c.id, m.from(), c.term, true, lastNew, 0, 0));
  }

  private void handleSnapshotChunk(InstallSnapshot m) {
    if (m.offset() == 0) {
      assembly = new SnapshotAssembly(m.meta());
    }
    if (assembly == null || !assembly.meta.equals(m.meta()) || assembly.size() != m.offset()) {
      long have = assembly != null && assembly.meta.equals(m.meta()) ? assembly.size() : 0;
      c.send(new SnapshotResponse(c.id, m.from(), c.term, m.meta().index(), have));
      return;
    }
    assembly.append(m.chunk());
    if (!m.done()) {
      c.send(new SnapshotResponse(c.id, m.from(), c.term, m.meta().index(), assembly.size()));
      return;
    }
    byte[] data = assembly.data();
    assembly = null;
    long ack = restore(m.meta(), data) ? c.log.lastIndex() : c.log.committed;
    c.sendPersisted(new AppendResponse(c.id, m.from(), c.term, true, ack, 0, 0));
  }

  /** §7: installs a snapshot unless it is stale or our log already holds its last entry. */
  private boolean restore(SnapshotMeta meta, byte[] data) {
    if (meta.index() <= c.log.committed) {
      return false; // stale: we already have everything it covers
    }
    if (c.log.matchTerm(meta.index(), meta.term())) {
      c.log.commitTo(meta.index()); // our log holds it: keep the entries after it
      return false;
    }
    c.log.restore(meta, data);
    c.pendingInstall = new Ready.SnapshotInstall(meta, data);
    c.localSnapshot = c.pendingInstall;
    c.tracker.setMembership(Membership.of(meta), c.log.lastIndex() + 1);
    return true;
  }
}
