package dev.faultline.testbed.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerPortSharesTest {

  @Test
  void theSharesSplitTheUpperHalfOfTheRangeWithoutOverlap() {
    assertThat(DockerPortShares.share("20000-20999", 0)).contains("20500-20665");
    assertThat(DockerPortShares.share("20000-20999", 1)).contains("20666-20831");
    assertThat(DockerPortShares.share("20000-20999", 2)).contains("20832-20999");
  }

  @Test
  void aRangeTooSmallToShareIsGivenWholeAndNoRangeGivesNone() {
    assertThat(DockerPortShares.share("20000-20099", 2)).contains("20000-20099");
    assertThat(DockerPortShares.share(null, 0)).isEqualTo(Optional.empty());
    assertThat(DockerPortShares.share(" ", 1)).isEqualTo(Optional.empty());
  }

  @Test
  void aMalformedRangeIsRefusedWithTheVariablesOwnMessage() {
    assertThatThrownBy(() -> DockerPortShares.share("20999-20000", 0))
        .hasMessageStartingWith("FAULTLINE_DOCKER_PORTS=20999-20000: not a port range");
  }
}
