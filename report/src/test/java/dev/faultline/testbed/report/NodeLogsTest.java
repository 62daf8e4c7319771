package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLogsTest {
  private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
  private static final Path LOG = Path.of("run/nodes/n3/node.log");

  private static List<String> stampedEverySecond(int seconds) {
    List<String> lines = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      lines.add(String.format("03:04:%02d.000 INFO raft - second %d", 5 + s, s));
      if (s == 20) {
        lines.add("\tat a.stack.Trace(Trace.java:1)");
      }
    }
    return lines;
  }

  @Test
  void timestampedLinesAroundTheMomentAreTakenByWallClock() {
    NodeLogs.Excerpt e =
        NodeLogs.excerpt(LOG, stampedEverySecond(50), START, 20_000_000_000L, ZoneOffset.UTC);
    assertThat(e.node()).isEqualTo("n3");
    assertThat(e.lines()).first().asString().contains("second 15");
    assertThat(e.lines()).last().asString().contains("second 25");
    assertThat(e.lines()).contains("\tat a.stack.Trace(Trace.java:1)");
    assertThat(e.how()).contains("matched by wall clock");
  }

  @Test
  void linesWithoutTimestampsFallBackToTheTail() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      lines.add("plain " + i);
    }
    NodeLogs.Excerpt e = NodeLogs.excerpt(LOG, lines, START, 1_000_000_000L, ZoneOffset.UTC);
    assertThat(e.lines()).hasSize(NodeLogs.TAIL).endsWith("plain 99");
    assertThat(e.how()).startsWith("the lines carry no timestamps");
  }

  @Test
  void anUnknownStartTakesTheTailEvenOfAStampedLog() {
    NodeLogs.Excerpt e = NodeLogs.excerpt(LOG, stampedEverySecond(50), null, 0, ZoneOffset.UTC);
    assertThat(e.lines()).hasSize(NodeLogs.TAIL);
    assertThat(e.how()).isEqualTo("the last 40 lines");
  }

  @Test
  void isoTimestampsWithAndWithoutZonesAreRead() {
    LocalDate day = LocalDate.of(2026, 1, 2);
    assertThat(NodeLogs.timestamp("2026-01-02T03:04:05.5Z x", day, ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2026-01-02T03:04:05.500Z"));
    assertThat(NodeLogs.timestamp("2026-01-02 04:04:05,250+0100 x", day, ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2026-01-02T03:04:05.250Z"));
    assertThat(NodeLogs.timestamp("[03:04:06.1] x", day, ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2026-01-02T03:04:06.100Z"));
    assertThat(NodeLogs.timestamp("no stamp", day, ZoneOffset.UTC)).isNull();
  }
}
