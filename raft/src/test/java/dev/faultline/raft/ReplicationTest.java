package dev.faultline.raft;

import static dev.faultline.raft.Cores.ABC;
import static dev.faultline.raft.Cores.drain;
import static dev.faultline.raft.Cores.entries;
import static dev.faultline.raft.Cores.only;
import static dev.faultline.raft.Cores.withLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.raft.Message.AppendEntries;
import dev.faultline.raft.Message.AppendResponse;
import dev.faultline.raft.Message.RequestVoteResponse;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicationTest {

  @Test
  void followerRejectsAppendWhosePrevEntryDiffersAndHintsItsLastTerm() {
    RaftCore b = withLog("b", ABC, new HardState(3, null, 0), 1, 1, 2, 2, 2);
    b.step(new AppendEntries("a", "b", 3, 5, 3, entries(6, 3), 0));
    AppendResponse r = only(drain(b), AppendResponse.class);
    assertThat(r.success()).isFalse();
    assertThat(r.index()).isEqualTo(5);
    assertThat(r.hintIndex()).isEqualTo(5);
    assertThat(r.hintTerm()).isEqualTo(2);
    assertThat(b.lastIndex()).isEqualTo(5);
  }

  @Test
  void followerReplacesConflictingSuffixAndKeepsMatchingPrefix() {
    RaftCore b = withLog("b", ABC, new HardState(2, null, 1), 1, 1, 2, 2);
    b.step(new AppendEntries("a", "b", 3, 2, 1, entries(3, 3), 2));
    AppendResponse r = only(drain(b), AppendResponse.class);
    assertThat(r.success()).isTrue();
    assertThat(r.index()).isEqualTo(3);
    assertThat(b.lastIndex()).isEqualTo(3);
    assertThat(b.termAt(2)).isEqualTo(1);
    assertThat(b.termAt(3)).isEqualTo(3);
    assertThat(b.commitIndex()).isEqualTo(2);
  }

  @Test
  void followerKeepsLongerMatchingLogWhenLateAppendArrives() {
    RaftCore b = withLog("b", ABC, new HardState(1, null, 0), 1, 1, 1, 1);
    b.step(new AppendEntries("a", "b", 1, 4, 1, List.of(), 4));
    drain(b);
    assertThat(b.commitIndex()).isEqualTo(4);
    b.step(new AppendEntries("a", "b", 1, 1, 1, entries(2, 1), 4)); // delayed, already known
    AppendResponse r = only(drain(b), AppendResponse.class);
    assertThat(r.success()).isTrue();
    assertThat(b.lastIndex()).isEqualTo(4);
  }

  @Test
  void truncateCommittedBugCutsCommittedEntriesOnLateAppend() {
    RaftConfig cfg = RaftConfig.of("b", ABC).withBugs(Set.of(DeliberateBug.TRUNCATE_COMMITTED));
    RaftCore b = withLog(cfg, new HardState(1, null, 0), 1, 1, 1, 1);
    b.step(new AppendEntries("a", "b", 1, 4, 1, List.of(), 4));
    drain(b);
    b.step(new AppendEntries("a", "b", 1, 1, 1, entries(2, 1), 4));
    drain(b);
    assertThat(b.lastIndex()).isLessThan(b.commitIndex());
  }

  @Test
  void appendAcknowledgementWaitsForDurability() {
    RaftCore b = withLog("b", ABC, new HardState(1, null, 0), 1);
    b.step(new AppendEntries("a", "b", 1, 1, 1, entries(2, 1), 1));
    Ready rd = b.ready();
    assertThat(rd.entries()).hasSize(1);
    assertThat(rd.messages()).isEmpty();
    assertThat(rd.persistedMessages()).singleElement().isInstanceOf(AppendResponse.class);
    b.advance(rd);
  }

  @Test
  void leaderCatchesUpDivergentFollowerInFewRoundTrips() {
    TestCluster c = new TestCluster("a", "b", "c");
    // a and c: 1..10 of term 1, 11..20 of term 4; b: 1..10 of term 1, 11..40 of term 3
    long[] ours = new long[20];
    java.util.Arrays.fill(ours, 0, 10, 1);
    java.util.Arrays.fill(ours, 10, 20, 4);
    for (String id : List.of("a", "c")) {
      MemoryLogStorage s = new MemoryLogStorage();
      s.append(entries(1, ours));
      s.saveHardState(new HardState(5, null, 0));
      c.restart(id, s);
    }
    long[] theirs = new long[40];
    java.util.Arrays.fill(theirs, 0, 10, 1);
    java.util.Arrays.fill(theirs, 10, 40, 3);
    MemoryLogStorage divergent = new MemoryLogStorage();
    divergent.append(entries(1, theirs));
    divergent.saveHardState(new HardState(4, null, 0));
    c.restart("b", divergent);
    c.isolated.add("b");
    c.elect("a");
    for (int i = 0; i < 30; i++) {
      c.propose("a", "x" + i);
    }
    c.stabilize();
    c.isolated.clear();
    int before = c.delivered.size();
    c.tickAll(3);
    long rejections =
        c.delivered.subList(before, c.delivered.size()).stream()
            .filter(m -> m instanceof AppendResponse r && !r.success() && m.from().equals("b"))
            .count();
    assertThat(c.core("b").lastIndex()).isEqualTo(c.core("a").lastIndex()).isEqualTo(51);
    assertThat(c.core("b").termAt(40)).isEqualTo(c.core("a").term());
    assertThat(rejections).as("one refusal skips the whole conflicting term").isEqualTo(1);
    assertThat(c.appliedCommands("b")).isEqualTo(c.appliedCommands("a")).hasSize(50);
  }

  @Test
  void leaderDoesNotCountReplicasOfPreviousTermEntry() {
    RaftConfig cfg = RaftConfig.of("a", ABC).withElectionSafety(false, false);
    RaftCore a = figure8Leader(cfg);
    a.step(new AppendResponse("b", "a", a.term(), true, 2, 0, 0));
    drain(a);
    assertThat(a.commitIndex()).as("§5.4.2: entry 2 is from term 2").isZero();
    a.step(new AppendResponse("b", "a", a.term(), true, 3, 0, 0));
    drain(a);
    assertThat(a.commitIndex()).as("the no-op of term 4 commits 2 with it").isEqualTo(3);
  }

  @Test
  void commitPreviousTermBugCommitsByCountingReplicas() {
    RaftConfig cfg =
        RaftConfig.of("a", ABC)
            .withElectionSafety(false, false)
            .withBugs(Set.of(DeliberateBug.COMMIT_PREVIOUS_TERM));
    RaftCore a = figure8Leader(cfg);
    a.step(new AppendResponse("b", "a", a.term(), true, 2, 0, 0));
    drain(a);
    assertThat(a.commitIndex()).isEqualTo(2);
  }

  /** Leader a of term 4 whose log is [1@1, 2@2, 3@4 (no-op)], as in Figure 8 (c)/(e). */
  private static RaftCore figure8Leader(RaftConfig cfg) {
    RaftCore a = withLog(cfg, new HardState(3, null, 0), 1, 2);
    a.campaign();
    drain(a);
    a.step(new RequestVoteResponse("b", "a", 4, true));
    assertThat(a.role()).isEqualTo(Role.LEADER);
    drain(a);
    assertThat(a.lastIndex()).isEqualTo(3);
    return a;
  }

  @Test
  void leaderPipelinesWithinInflightWindow() {
    TestCluster c =
        new TestCluster(cfg -> cfg.withFlowControl(2, 1 << 20, 1, 1 << 20), "a", "b", "c");
    c.elect("a");
    for (int i = 0; i < 6; i++) {
      c.propose("a", "p" + i);
    }
    c.processReady("a");
    long toB =
        c.inFlight.stream().filter(m -> m instanceof AppendEntries && m.to().equals("b")).count();
    assertThat(toB).as("one entry per message, two messages in flight").isEqualTo(2);
    c.stabilize();
    assertThat(c.appliedCommands("b")).hasSize(6);
  }

  @Test
  void aFollowerWithAnAppendOutHearsOfTheCommitWithTheNextOne() {
    TestCluster c = new TestCluster("a", "b", "c");
    List<Message> toC = p1TakenByBOnly(c);
    long p1 = c.core("a").lastIndex();
    c.deliverAll(); // b's acknowledgement: a and b hold p1, so it commits
    c.processReady("a");
    assertThat(c.core("a").commitIndex()).isEqualTo(p1);
    AppendEntries toB = only(List.copyOf(c.inFlight), AppendEntries.class);
    assertThat(toB.to()).isEqualTo("b");
    assertThat(toB.entries()).as("nothing new: the commit alone").isEmpty();
    assertThat(toB.commit()).isEqualTo(p1);
    // c's append is still out; its answer brings c the commit
    c.inFlight.addAll(toC);
    c.stabilize();
    assertThat(c.core("c").commitIndex()).isEqualTo(p1);
    assertThat(c.appliedCommands("c")).containsExactly("p1");
  }

  @Test
  void underLoadTheCommitGoesWithTheNextEntriesNotAloneAhead() {
    TestCluster c = new TestCluster("a", "b", "c");
    List<Message> toC = p1TakenByBOnly(c);
    long p1 = c.core("a").lastIndex();
    c.propose("a", "p2"); // arrives while b's acknowledgement of p1 is on its way
    c.deliverAll();
    c.processReady("a");
    List<AppendEntries> appends =
        c.inFlight.stream()
            .filter(m -> m instanceof AppendEntries)
            .map(AppendEntries.class::cast)
            .toList();
    assertThat(appends)
        .as("one append to each follower, with p2 and p1's commit; none with the commit alone")
        .hasSize(2)
        .allSatisfy(
            a -> {
              assertThat(a.entries()).hasSize(1);
              assertThat(a.commit()).isEqualTo(p1);
            });
    c.inFlight.addAll(toC);
    c.stabilize();
    assertThat(c.appliedCommands("c")).containsExactly("p1", "p2");
    assertThat(c.core("c").commitIndex()).isEqualTo(p1 + 1);
  }

  /**
   * Elects a, which replicates p1: b takes it and its acknowledgement is on the way; the append to
   * c is held back and returned, to be delivered later.
   */
  private static List<Message> p1TakenByBOnly(TestCluster c) {
    c.elect("a");
    c.propose("a", "p1");
    c.processReady("a");
    List<Message> toC = c.inFlight.stream().filter(m -> m.to().equals("c")).toList();
    c.inFlight.removeAll(toC);
    c.deliverAll();
    c.processReady("b");
    return toC;
  }

  @Test
  void proposalOnFollowerIsRefusedNamingTheLeader() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    ProposeResult r = c.core("b").propose(new byte[] {1});
    assertThat(r).isInstanceOf(ProposeResult.Refused.class);
    assertThat(((ProposeResult.Refused) r).leader()).isEqualTo("a");
  }

  @Test
  void allNodesApplyTheSameCommandsInOrder() {
    TestCluster c = new TestCluster("a", "b", "c", "d", "e");
    c.elect("c");
    for (int i = 0; i < 50; i++) {
      c.propose("c", "cmd" + i);
      if (i % 7 == 0) {
        c.stabilize();
      }
    }
    c.stabilize();
    c.tickAll(2);
    for (String id : List.of("a", "b", "d", "e")) {
      assertThat(c.appliedCommands(id)).isEqualTo(c.appliedCommands("c")).hasSize(50);
    }
  }

  @Test
  void restartedFollowerRecoversFromItsStorage() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    for (int i = 0; i < 5; i++) {
      c.propose("a", "v" + i);
    }
    c.stabilize();
    RaftCore b = c.restart("b", c.storages.get("b"));
    assertThat(b.lastIndex()).isEqualTo(c.core("a").lastIndex());
    assertThat(b.term()).isEqualTo(c.core("a").term());
    assertThat(b.votedFor()).isEqualTo("a");
  }
}
