package dev.faultline.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RaftConfigTest {

  @Test
  void eachWithChangesOnlyItsPart() {
    RaftConfig base = RaftConfig.of("n1", Set.of("n1", "n2", "n3"));
    RaftConfig c = base.withTicks(20, 2).withElectionSafety(false, true);
    assertThat(c.electionTicks()).isEqualTo(20);
    assertThat(c.heartbeatTicks()).isEqualTo(2);
    assertThat(c.preVote()).isFalse();
    assertThat(c.checkQuorum()).isTrue();
    assertThat(c.flow()).isEqualTo(base.flow());
    assertThat(c.withFlowControl(8, 1024, 512, 256).ticks()).isEqualTo(c.ticks());
    assertThat(c.withBugs(Set.of()).safety()).isEqualTo(c.safety());
  }

  @Test
  void badTimingAndLimitsAreRefusedNamingTheNode() {
    RaftConfig base = RaftConfig.of("n1", Set.of("n1"));
    assertThatThrownBy(() -> base.withTicks(2, 2))
        .hasMessage("node n1: need 1 <= heartbeatTicks < electionTicks, got 2 and 2");
    assertThatThrownBy(() -> base.withFlowControl(0, 1, 1, 1))
        .hasMessage("node n1: flow-control limits must be positive");
    assertThatThrownBy(() -> RaftConfig.of(" ", Set.of())).hasMessage("node id must not be blank");
  }
}
