package dev.faultline.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.raft.MembershipChange.AddLearner;
import dev.faultline.raft.MembershipChange.PromoteLearner;
import dev.faultline.raft.MembershipChange.RemoveMember;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipTest {

  @Test
  void learnerCatchesUpAndIsThenPromotedToVoter() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    for (int i = 0; i < 10; i++) {
      c.propose("a", "v" + i);
    }
    c.stabilize();
    c.add("d", Set.of("a", "b", "c"));
    assertThat(c.core("a").changeMembership(new AddLearner("d")))
        .isInstanceOf(ProposeResult.Accepted.class);
    c.stabilize();
    c.tickAll(2);
    assertThat(c.core("d").membership().learners()).containsExactly("d");
    assertThat(c.appliedCommands("d")).hasSize(10);
    assertThat(c.core("d").role()).isEqualTo(Role.FOLLOWER);

    assertThat(c.core("a").changeMembership(new PromoteLearner("d")))
        .isInstanceOf(ProposeResult.Accepted.class);
    c.stabilize();
    for (String id : c.cores.keySet()) {
      assertThat(c.core(id).membership().voters()).containsExactly("a", "b", "c", "d");
    }
  }

  @Test
  void secondChangeIsRefusedWhileFirstIsPending() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    assertThat(c.core("a").changeMembership(new AddLearner("d")))
        .isInstanceOf(ProposeResult.Accepted.class);
    assertThat(c.core("a").changeMembership(new AddLearner("e")))
        .isInstanceOf(ProposeResult.Refused.class);
  }

  @Test
  void learnerThatHasNotCaughtUpIsNotPromoted() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    c.add("d", Set.of("a", "b", "c"));
    c.isolated.add("d");
    c.core("a").changeMembership(new AddLearner("d"));
    c.stabilize();
    ProposeResult r = c.core("a").changeMembership(new PromoteLearner("d"));
    assertThat(r).isInstanceOf(ProposeResult.Refused.class);
    assertThat(((ProposeResult.Refused) r).reason()).contains("has not caught up");
  }

  @Test
  void removedLeaderStepsDownAndOthersElectANewOne() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    c.core("a").changeMembership(new RemoveMember("a"));
    c.stabilize();
    assertThat(c.core("a").role()).isEqualTo(Role.FOLLOWER);
    assertThat(c.core("b").membership().voters()).containsExactly("b", "c");
    c.isolated.add("a");
    c.tickAll(40);
    assertThat(c.leader()).isIn("b", "c");
  }

  @Test
  void learnerNeverCampaigns() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    c.add("d", Set.of("a", "b", "c"));
    c.core("a").changeMembership(new AddLearner("d"));
    c.stabilize();
    c.isolated.add("a");
    c.tick("d", 60);
    assertThat(c.core("d").role()).isEqualTo(Role.FOLLOWER);
    assertThat(c.core("d").term()).isEqualTo(c.core("b").term());
  }

  @Test
  void joiningNodeWithNoConfigurationNeverCampaignsUntilItIsACommittedVoter() {
    TestCluster c = new TestCluster("a", "b", "c");
    c.elect("a");
    c.propose("a", "x");
    c.stabilize();
    c.add("d", Set.of());
    c.tick("d", 60);
    assertThat(c.core("d").role()).isEqualTo(Role.FOLLOWER);
    assertThat(c.core("d").term()).isZero();

    c.core("a").changeMembership(new AddLearner("d", "127.0.0.1:7074"));
    c.stabilize();
    c.tickAll(2);
    assertThat(c.appliedCommands("d")).containsExactly("x");
    for (String id : c.cores.keySet()) {
      assertThat(c.core(id).membership().addresses()).containsEntry("d", "127.0.0.1:7074");
    }
    c.isolated.add("a");
    c.tick("d", 60);
    assertThat(c.core("d").role()).isEqualTo(Role.FOLLOWER);

    c.isolated.remove("a");
    c.tickAll(2);
    c.stabilize();
    assertThat(c.core("a").changeMembership(new PromoteLearner("d")))
        .isInstanceOf(ProposeResult.Accepted.class);
    c.stabilize();
    assertThat(c.core("d").membership().voters()).containsExactly("a", "b", "c", "d");
    assertThat(c.core("a").changeMembership(new RemoveMember("a")))
        .isInstanceOf(ProposeResult.Accepted.class);
    c.stabilize();
    c.isolated.add("a");
    c.tickAll(60);
    assertThat(c.leader()).isIn("b", "c", "d");
    assertThat(c.core("b").membership().addresses()).containsOnlyKeys("d");
  }

  @Test
  void configurationEntryKeepsAddressesAndStillReadsTheFormatWithout() {
    Membership withAddress =
        new AddLearner("d", "10.0.0.4:7070").applyTo(Membership.of(Set.of("a", "b"), Set.of()));
    assertThat(Membership.decode(withAddress.encode(), 7)).isEqualTo(withAddress);
    assertThat(Membership.decode(withAddress.encode(), 7).addresses())
        .containsEntry("d", "10.0.0.4:7070");
    Membership plain = Membership.of(Set.of("a", "b"), Set.of("c"));
    assertThat(Membership.decode(plain.encode(), 3)).isEqualTo(plain);
    assertThat(new RemoveMember("d").applyTo(withAddress).addresses()).isEmpty();
  }
}
