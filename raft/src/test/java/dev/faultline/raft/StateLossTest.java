package dev.faultline.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.raft.Message.Heartbeat;
import dev.faultline.raft.Message.RequestVote;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node that comes back with less log than it acknowledged (data wiped, restored from an older
 * copy) must notice, say why, and stop taking part rather than crash its loop or vote again.
 */
class StateLossTest {

  private static TestCluster clusterWithCommittedEntries(int n) {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    for (int i = 0; i < n; i++) {
      c.propose("a", "v" + i);
    }
    c.stabilize();
    assertThat(c.core("c").commitIndex()).isEqualTo(n + 1);
    return c;
  }

  /** Ticks the leader until it has sent a heartbeat, and delivers everything. */
  private static void heartbeat(TestCluster c) {
    int before = c.delivered.size();
    for (int i = 0; i < 10; i++) {
      c.tick("a", 1);
      if (c.delivered.subList(before, c.delivered.size()).stream()
          .anyMatch(m -> m instanceof Heartbeat)) {
        return;
      }
    }
    throw new AssertionError("the leader sent no heartbeat in 10 ticks");
  }

  @Test
  void followerWithWipedLogDeclaresStateLossInsteadOfThrowing() {
    TestCluster c = clusterWithCommittedEntries(5);
    c.restart("c", new MemoryLogStorage()); // its data directory deleted
    heartbeat(c);
    RaftCore wiped = c.core("c");
    assertThat(wiped.stateLoss())
        .contains("node c lost acknowledged log entries")
        .contains("leader a in term 1")
        .contains("up to index 6")
        .contains("its log ends at index 0")
        .contains("Replacing a node that lost its data");
    assertThat(wiped.commitIndex()).isZero();
  }

  @Test
  void followerRestoredFromOlderCopyDeclaresStateLoss() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    c.propose("a", "v0");
    c.stabilize();
    MemoryLogStorage olderCopy = c.storages.get("c").copy();
    for (int i = 1; i < 4; i++) {
      c.propose("a", "v" + i);
    }
    c.stabilize();
    c.restart("c", olderCopy);
    heartbeat(c);
    assertThat(c.core("c").stateLoss()).contains("up to index 5").contains("ends at index 2");
  }

  @Test
  void nodeThatLostStateNeitherVotesNorCampaigns() {
    TestCluster c = clusterWithCommittedEntries(3);
    c.restart("c", new MemoryLogStorage());
    heartbeat(c);
    RaftCore wiped = c.core("c");
    assertThat(wiped.stateLoss()).isNotNull();

    wiped.step(new RequestVote("b", "c", 2, 0, 0, false));
    wiped.campaign();
    for (int i = 0; i < 50; i++) {
      wiped.tick();
    }
    List<Message> out = Cores.drain(wiped);
    assertThat(out).isEmpty();
    assertThat(wiped.term()).isEqualTo(1);
    assertThat(wiped.votedFor()).isNull();
    assertThat(wiped.role()).isEqualTo(Role.FOLLOWER);
  }

  @Test
  void healthyLaggingFollowerIsNotMistakenForLostState() {
    TestCluster c = clusterWithCommittedEntries(2);
    c.isolated.add("c");
    for (int i = 0; i < 4; i++) {
      c.propose("a", "w" + i);
    }
    c.stabilize();
    c.isolated.clear();
    heartbeat(c);
    c.stabilize();
    assertThat(c.core("c").stateLoss()).isNull();
    assertThat(c.core("c").commitIndex()).isEqualTo(c.core("a").commitIndex());
  }
}
