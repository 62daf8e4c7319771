package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir Path store;

  @Test
  void runsLiveUnderTheirNameAndATimestampWithLatestPointingAtTheNewest() throws IOException {
    RunDirectory first =
        RunDirectory.create(store, "kv-partition", Instant.parse("2026-01-02T03:04:05.678Z"));
    RunDirectory second =
        RunDirectory.create(store, "set-none", Instant.parse("2026-01-02T03:05:00Z"));

    assertThat(first.dir()).isEqualTo(store.resolve("kv-partition/20260102T030405.678Z"));
    assertThat(first.dir()).isDirectory();
    assertThat(second.dir()).isEqualTo(store.resolve("set-none/20260102T030500.000Z"));
    Path latest = store.resolve("latest");
    assertThat(Files.isSymbolicLink(latest)).isTrue();
    assertThat(Files.readSymbolicLink(latest)).isEqualTo(Path.of("set-none/20260102T030500.000Z"));
    assertThat(latest.toRealPath()).isEqualTo(second.dir().toRealPath());
    assertThat(first.historyJsonl()).isEqualTo(first.dir().resolve("history.jsonl"));
    assertThat(first.nodes()).isEqualTo(first.dir().resolve("nodes"));
    try (var entries = Files.list(store)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("kv-partition", "set-none", "latest");
    }
  }

  @Test
  void twoRunsInTheSameMillisecondGetDistinctDirectories() throws IOException {
    Instant now = Instant.parse("2026-01-02T03:04:05Z");
    RunDirectory a = RunDirectory.create(store, "kv-kill", now);
    RunDirectory b = RunDirectory.create(store, "kv-kill", now);

    assertThat(b.dir()).isNotEqualTo(a.dir());
    assertThat(b.dir().getFileName().toString()).isEqualTo("20260102T030405.000Z-2");
    assertThat(store.resolve("latest").toRealPath()).isEqualTo(b.dir().toRealPath());
  }

  @Test
  void aRealLatestDirectoryIsNeverReplaced() throws IOException {
    Files.createDirectories(store.resolve("latest"));

    assertThatThrownBy(() -> RunDirectory.create(store, "kv-none", Instant.now()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("latest exists and is not a symbolic link");
  }

  @Test
  void aRunNameMustBeOnePathSegment() {
    assertThatThrownBy(() -> RunDirectory.create(store, "../x", Instant.now()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
