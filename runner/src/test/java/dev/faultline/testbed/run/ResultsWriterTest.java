package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.Keyword;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResultsWriterTest {
  @Test
  void aDamagedNodeCameUpRefusedOrRanWithoutALeader() {
    assertThat(ResultsWriter.diskOutcome("ready")).isEqualTo("came-up");
    assertThat(ResultsWriter.diskOutcome("exited 3")).isEqualTo("refused-to-start");
    assertThat(ResultsWriter.diskOutcome("running, not ready after 20000 ms"))
        .isEqualTo("running-not-ready");
  }

  @Test
  void historyValuesBecomePlainJsonValues() {
    Object plain =
        ResultsWriter.plain(
            Map.of(
                "k", new Keyword("read"),
                "n", BigInteger.TWO.pow(70),
                "s", Set.of("n1"),
                "l", List.of(1L)));

    assertThat(plain)
        .isEqualTo(
            Map.of(
                "k", ":read", "n", "1180591620717411303424", "s", List.of("n1"), "l", List.of(1L)));
  }
}
