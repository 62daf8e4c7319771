package dev.faultline.raft;

import static dev.faultline.raft.Cores.ABC;
import static dev.faultline.raft.Cores.drain;
import static dev.faultline.raft.Cores.withLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.raft.Message.AppendResponse;
import dev.faultline.raft.Message.Heartbeat;
import dev.faultline.raft.Message.HeartbeatResponse;
import dev.faultline.raft.Message.RequestVoteResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadIndexTest {

  private static RaftCore newLeader(RaftConfig cfg) {
    RaftCore a = withLog(cfg, new HardState(1, null, 0), 1, 1);
    a.campaign();
    drain(a);
    a.step(new RequestVoteResponse("b", "a", 2, true));
    drain(a);
    return a;
  }

  private static List<ReadState> readStates(RaftCore core) {
    Ready rd = core.ready();
    core.advance(rd);
    return rd.readStates();
  }

  @Test
  void readWaitsForLeaderToCommitInItsTermAndForHeartbeatQuorum() {
    RaftCore a = newLeader(RaftConfig.of("a", ABC).withElectionSafety(false, true));
    assertThat(a.readIndex("r1".getBytes())).isTrue();
    assertThat(readStates(a)).as("the no-op of term 2 is not committed yet").isEmpty();

    a.step(new AppendResponse("b", "a", 2, true, 3, 0, 0));
    List<Message> out = drain(a);
    assertThat(a.commitIndex()).isEqualTo(3);
    List<Heartbeat> rounds =
        out.stream().filter(Heartbeat.class::isInstance).map(Heartbeat.class::cast).toList();
    assertThat(rounds).hasSize(2).allSatisfy(h -> assertThat(h.readSeq()).isPositive());
    assertThat(readStates(a)).as("leadership not yet confirmed").isEmpty();

    a.step(new HeartbeatResponse("c", "a", 2, rounds.get(0).readSeq()));
    List<ReadState> states = readStates(a);
    assertThat(states).singleElement().satisfies(rs -> assertThat(rs.index()).isEqualTo(3));
    assertThat(new String(states.get(0).context())).isEqualTo("r1");
  }

  @Test
  void heartbeatResponseForOlderRoundDoesNotConfirmNewerRead() {
    RaftCore a = newLeader(RaftConfig.of("a", ABC).withElectionSafety(false, true));
    a.step(new AppendResponse("b", "a", 2, true, 3, 0, 0));
    drain(a);
    a.readIndex("r1".getBytes());
    long first =
        drain(a).stream()
            .filter(Heartbeat.class::isInstance)
            .map(m -> ((Heartbeat) m).readSeq())
            .findFirst()
            .orElseThrow();
    a.readIndex("r2".getBytes());
    drain(a);
    a.step(new HeartbeatResponse("b", "a", 2, first));
    List<ReadState> states = readStates(a);
    assertThat(states).extracting(rs -> new String(rs.context())).containsExactly("r1");
  }

  private static List<Heartbeat> heartbeats(List<Message> out) {
    return out.stream().filter(Heartbeat.class::isInstance).map(Heartbeat.class::cast).toList();
  }

  @Test
  void concurrentReadsShareOneRoundAndALaterReadWaitsForTheNext() {
    RaftCore a = newLeader(RaftConfig.of("a", ABC).withElectionSafety(false, true));
    a.step(new AppendResponse("b", "a", 2, true, 3, 0, 0));
    drain(a);
    for (String r : List.of("r1", "r2", "r3")) {
      a.readIndex(r.getBytes());
    }
    List<Heartbeat> first = heartbeats(drain(a));
    assertThat(first).as("one round: one heartbeat per follower").hasSize(2);
    long round1 = first.get(0).readSeq();
    assertThat(first).allSatisfy(h -> assertThat(h.readSeq()).isEqualTo(round1));

    // Arrives after round 1 left: round 1 cannot vouch for it, and no second round starts yet.
    a.readIndex("late".getBytes());
    assertThat(heartbeats(drain(a))).as("no round while one is out").isEmpty();

    a.step(new HeartbeatResponse("b", "a", 2, round1));
    Ready rd = a.ready();
    a.advance(rd);
    assertThat(rd.readStates())
        .extracting(rs -> new String(rs.context()))
        .containsExactly("r1", "r2", "r3");
    List<Heartbeat> second = heartbeats(rd.messages());
    assertThat(second).as("the next round leaves once round 1 is confirmed").hasSize(2);
    long round2 = second.get(0).readSeq();
    assertThat(round2).isGreaterThan(round1);

    a.step(new HeartbeatResponse("c", "a", 2, round1));
    assertThat(readStates(a)).as("a late answer to round 1 confirms nothing new").isEmpty();
    a.step(new HeartbeatResponse("c", "a", 2, round2));
    assertThat(readStates(a)).extracting(rs -> new String(rs.context())).containsExactly("late");
  }

  @Test
  void aRoundWhoseAnswersAreLostIsRetriedByThePeriodicHeartbeat() {
    RaftConfig cfg = RaftConfig.of("a", ABC).withElectionSafety(false, true);
    RaftCore a = newLeader(cfg);
    a.step(new AppendResponse("b", "a", 2, true, 3, 0, 0));
    drain(a);
    a.readIndex("r1".getBytes());
    drain(a); // round 1's heartbeats are lost
    a.readIndex("r2".getBytes());
    List<Heartbeat> retry = List.of();
    for (int i = 0; i < cfg.heartbeatTicks() && retry.isEmpty(); i++) {
      a.tick();
      retry = heartbeats(drain(a));
    }
    assertThat(retry).hasSize(2);
    a.step(new HeartbeatResponse("b", "a", 2, retry.get(0).readSeq()));
    assertThat(readStates(a))
        .extracting(rs -> new String(rs.context()))
        .containsExactly("r1", "r2");
  }

  @Test
  void readWithoutQuorumCheckBugAnswersWithoutHeartbeatRound() {
    RaftConfig cfg =
        RaftConfig.of("a", ABC)
            .withElectionSafety(false, true)
            .withBugs(Set.of(DeliberateBug.READ_WITHOUT_QUORUM_CHECK));
    RaftCore a = newLeader(cfg);
    a.step(new AppendResponse("b", "a", 2, true, 3, 0, 0));
    drain(a);
    a.readIndex("r".getBytes());
    assertThat(readStates(a)).hasSize(1);
  }

  @Test
  void followerRefusesReadIndex() {
    RaftCore b = withLog("b", ABC, new HardState(1, null, 0), 1);
    assertThat(b.readIndex("r".getBytes())).isFalse();
  }

  @Test
  void clusterReadSeesEveryCommittedWrite() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("b");
    c.propose("b", "w1");
    c.propose("b", "w2");
    c.stabilize();
    c.core("b").readIndex("q".getBytes());
    c.stabilize();
    assertThat(c.reads.get("b"))
        .singleElement()
        .satisfies(rs -> assertThat(rs.index()).isEqualTo(c.core("b").lastIndex()));
  }
}
