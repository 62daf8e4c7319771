package dev.faultline.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.raft.Message.TimeoutNow;
import org.junit.jupiter.api.Test;

class LeaderTransferTest {

  @Test
  void leaderHandsOverToCaughtUpFollower() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    long term = c.core("a").term();
    c.propose("a", "x");
    c.stabilize();
    assertThat(c.core("a").transferLeadership("c")).isTrue();
    c.stabilize();
    assertThat(c.delivered).anySatisfy(m -> assertThat(m).isInstanceOf(TimeoutNow.class));
    assertThat(c.leader()).isEqualTo("c");
    assertThat(c.core("c").term()).isEqualTo(term + 1);
    assertThat(c.core("a").role()).isEqualTo(Role.FOLLOWER);
  }

  @Test
  void proposalsAreRefusedDuringTransferUntilItIsAbandoned() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    c.isolated.add("c");
    assertThat(c.core("a").transferLeadership("c")).isTrue();
    assertThat(c.core("a").propose(new byte[] {1})).isInstanceOf(ProposeResult.Refused.class);
    c.tick("a", c.core("a").config.electionTicks());
    assertThat(c.core("a").role()).isEqualTo(Role.LEADER);
    assertThat(c.core("a").transferee()).isNull();
    assertThat(c.core("a").propose(new byte[] {1})).isInstanceOf(ProposeResult.Accepted.class);
  }

  @Test
  void transferToNonMemberIsRejected() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    assertThat(c.core("a").transferLeadership("z")).isFalse();
  }
}
