package dev.faultline.raft;

import static dev.faultline.raft.Cores.ABC;
import static dev.faultline.raft.Cores.drain;
import static dev.faultline.raft.Cores.only;
import static dev.faultline.raft.Cores.withLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.raft.Message.AppendEntries;
import dev.faultline.raft.Message.AppendResponse;
import dev.faultline.raft.Message.PreVote;
import dev.faultline.raft.Message.RequestVote;
import dev.faultline.raft.Message.RequestVoteResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElectionTest {

  @Test
  void followerRejectsAppendFromStaleTerm() {
    RaftCore a = withLog("a", ABC, new HardState(3, null, 0), 1, 2);
    a.step(new AppendEntries("b", "a", 2, 2, 2, Cores.entries(3, 2), 0));
    AppendResponse r = only(drain(a), AppendResponse.class);
    assertThat(r.success()).isFalse();
    assertThat(r.term()).isEqualTo(3);
    assertThat(a.lastIndex()).isEqualTo(2);
  }

  @Test
  void higherTermMakesLeaderStepDown() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    RaftCore a = c.core("a");
    assertThat(a.role()).isEqualTo(Role.LEADER);
    long higher = a.term() + 5;
    a.step(new AppendResponse("b", "a", higher, false, 0, 0, 0));
    assertThat(a.role()).isEqualTo(Role.FOLLOWER);
    assertThat(a.term()).isEqualTo(higher);
  }

  @Test
  void nodeGrantsAtMostOneVotePerTerm() {
    RaftCore a = withLog("a", ABC, new HardState(1, null, 0), 1);
    a.step(new RequestVote("b", "a", 2, 1, 1, false));
    assertThat(only(drain(a), RequestVoteResponse.class).granted()).isTrue();
    a.step(new RequestVote("c", "a", 2, 1, 1, false));
    assertThat(only(drain(a), RequestVoteResponse.class).granted()).isFalse();
    a.step(new RequestVote("b", "a", 2, 1, 1, false));
    assertThat(only(drain(a), RequestVoteResponse.class).granted())
        .as("a repeated request from the same candidate is granted again")
        .isTrue();
  }

  @Test
  void voterRejectsCandidateWhoseLogIsLessUpToDate() {
    RaftCore a = withLog("a", ABC, new HardState(2, null, 0), 1, 2);
    a.step(new RequestVote("b", "a", 3, 5, 1, false)); // longer log but older last term
    assertThat(only(drain(a), RequestVoteResponse.class).granted()).isFalse();
    a.step(new RequestVote("c", "a", 3, 1, 2, false)); // same last term, shorter log
    assertThat(only(drain(a), RequestVoteResponse.class).granted()).isFalse();
    a.step(new RequestVote("c", "a", 3, 2, 2, false));
    assertThat(only(drain(a), RequestVoteResponse.class).granted()).isTrue();
  }

  @Test
  void voteIsReleasedOnlyAfterItIsDurable() {
    RaftCore a = withLog("a", ABC, new HardState(1, null, 0), 1);
    a.step(new RequestVote("b", "a", 2, 1, 1, false));
    Ready rd = a.ready();
    assertThat(rd.messages()).isEmpty();
    assertThat(rd.persistedMessages()).hasSize(1);
    assertThat(rd.hardState()).isEqualTo(new HardState(2, "b", 0));
    a.advance(rd);
  }

  @Test
  void voteNotPersistedBugLeavesVoteOutOfHardState() {
    RaftConfig cfg = RaftConfig.of("a", ABC).withBugs(Set.of(DeliberateBug.VOTE_NOT_PERSISTED));
    RaftCore a = withLog(cfg, new HardState(1, null, 0), 1);
    a.step(new RequestVote("b", "a", 2, 1, 1, false));
    Ready rd = a.ready();
    assertThat(rd.hardState()).isEqualTo(new HardState(2, null, 0));
    a.advance(rd);
  }

  @Test
  void candidateWithMajorityBecomesLeaderAndAppendsNoop() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    RaftCore a = c.core("a");
    assertThat(a.role()).isEqualTo(Role.LEADER);
    assertThat(a.lastIndex()).isEqualTo(1);
    assertThat(c.applied.get("b"))
        .singleElement()
        .extracting(Entry::type)
        .isEqualTo(Entry.Type.NOOP);
    assertThat(a.commitIndex()).isEqualTo(1);
  }

  @Test
  void electionTimeoutStartsPreVoteWithoutRaisingTerm() {
    RaftCore a = withLog("a", ABC, new HardState(4, null, 0), 1);
    for (int i = 0; i < 2 * a.config.electionTicks() && a.role() == Role.FOLLOWER; i++) {
      a.tick();
    }
    assertThat(a.role()).isEqualTo(Role.PRE_CANDIDATE);
    assertThat(a.term()).isEqualTo(4);
    List<Message> out = drain(a);
    assertThat(out).hasSize(2).allSatisfy(m -> assertThat(m).isInstanceOf(PreVote.class));
    assertThat(out.get(0).term()).isEqualTo(5);
  }

  @Test
  void candidateRetriesUnansweredVoteRequests() {
    RaftConfig cfg = RaftConfig.of("a", ABC).withElectionSafety(false, false);
    RaftCore a = withLog(cfg, new HardState(1, null, 0), 1);
    a.campaign();
    assertThat(drain(a)).hasSize(2);
    a.step(new RequestVoteResponse("b", "a", 2, false));
    drain(a);
    a.tick();
    List<Message> retry = drain(a);
    assertThat(retry).singleElement().satisfies(m -> assertThat(m.to()).isEqualTo("c"));
    assertThat(retry.get(0)).isInstanceOf(RequestVote.class);
  }

  @Test
  void partitionedNodeDoesNotDisruptLeaderWhenItRejoins() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    long term = c.core("a").term();
    c.isolated.add("c");
    c.tick("c", 100); // c keeps timing out, but its pre-votes go nowhere
    assertThat(c.core("c").term()).isEqualTo(term);
    c.isolated.clear();
    c.tick("c", 30); // back: b and a still hear from the leader and refuse
    c.tickAll(5);
    assertThat(c.core("a").role()).isEqualTo(Role.LEADER);
    assertThat(c.core("a").term()).isEqualTo(term);
  }

  @Test
  void nodeInLeaseIgnoresHigherTermCampaign() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    RaftCore b = c.core("b");
    long term = b.term();
    b.step(new RequestVote("c", "b", term + 1, 100, term, false));
    assertThat(b.term()).isEqualTo(term);
    assertThat(drain(b)).isEmpty();
  }

  @Test
  void isolatedLeaderStepsDownThroughCheckQuorum() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    c.isolated.add("a");
    c.tick("a", 2 * c.core("a").config.electionTicks());
    assertThat(c.core("a").role()).isEqualTo(Role.FOLLOWER);
  }

  @Test
  void remainingMajorityElectsNewLeaderAfterLeaderIsCut() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    long term = c.core("a").term();
    c.isolated.add("a");
    c.tickAll(40);
    String leader = c.leader();
    assertThat(leader).isIn("b", "c");
    assertThat(c.core(leader).term()).isGreaterThan(term);
  }
}
