package dev.faultline.testbed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSummaryTest {
  @TempDir Path store;

  private Path run(String id, String testJson) throws IOException {
    Path dir = Files.createDirectories(store.resolve("kv-partition").resolve(id));
    Files.writeString(dir.resolve("test.json"), testJson);
    Files.writeString(
        dir.resolve("results.json"), "{\"schema\":\"faultline-test/2\",\"verdict\":\"invalid\"}");
    return dir;
  }

  @Test
  void theRunListShowsTheBugThatWasOn() throws IOException {
    RunSummary withBug =
        RunSummary.read(
            run("20260101T000000", "{\"seed\":1,\"options\":{\"bug\":\"stale-read\"}}"));
    RunSummary without =
        RunSummary.read(run("20260102T000000", "{\"seed\":2,\"options\":{\"bug\":null}}"));

    assertThat(withBug.bug()).isEqualTo("stale-read");
    assertThat(without.bug()).isNull();
    String page =
        ServePages.list(store, List.of(withBug, without), new ServePages.Filter(null, null, null));
    assertThat(page).contains("<th>bug</th>").contains("<td class=\"bug\">stale-read</td>");
  }
}
