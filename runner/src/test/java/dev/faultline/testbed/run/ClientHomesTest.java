package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientHomesTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  @Test
  void workersSpreadOverTheNodesInTurn() {
    assertThat(ClientHomes.home(0, 5, NODES)).isEqualTo("n1");
    assertThat(ClientHomes.home(1, 5, NODES)).isEqualTo("n2");
    assertThat(ClientHomes.home(2, 5, NODES)).isEqualTo("n3");
    assertThat(ClientHomes.home(3, 5, NODES)).isEqualTo("n1");
    assertThat(ClientHomes.home(4, 5, NODES)).isEqualTo("n2");
  }

  @Test
  void aFreshProcessIdAfterAnInfoKeepsItsWorkersNode() {
    // Worker 3 of 5 runs as process 3, then 8, then 13 after unknown outcomes.
    assertThat(ClientHomes.home(8, 5, NODES)).isEqualTo(ClientHomes.home(3, 5, NODES));
    assertThat(ClientHomes.home(13, 5, NODES)).isEqualTo("n1");
    assertThat(ClientHomes.home(-2, 5, NODES)).isEqualTo(ClientHomes.home(3, 5, NODES));
  }

  @Test
  void noNodesOrNoWorkersAreRefused() {
    assertThatThrownBy(() -> ClientHomes.home(0, 5, List.of())).hasMessageContaining("0 nodes");
    assertThatThrownBy(() -> ClientHomes.home(0, 0, NODES)).hasMessageContaining("concurrency 0");
  }
}
