package dev.faultline.testbed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folders may be used as a store of runs: runs only, or nothing yet. */
class RunStoreTest {
  @TempDir Path tmp;

  @Test
  void aStoreOfRunsIsAccepted() throws IOException {
    Path store = tmp.resolve("runs");
    Path run = Files.createDirectories(store.resolve("kv-partition/20260101T000000.000Z"));
    Files.writeString(run.resolve("test.json"), "{}");
    Path half = Files.createDirectories(store.resolve("kv-kill/20260102T000000.000Z"));
    Files.writeString(half.resolve("history.jsonl"), "");
    // A run being created: its folder exists before its first file.
    Files.createDirectories(store.resolve("kv-kill/20260103T000000.000Z"));
    Path seed = Files.createDirectories(store.resolve("sim/seed-7"));
    Files.writeString(seed.resolve("history.jsonl"), "");
    Files.createSymbolicLink(store.resolve("latest"), store.relativize(run));
    Files.writeString(store.resolve(".DS_Store"), "");
    assertThat(RunStore.refusal(store, "--store")).isEmpty();
  }

  @Test
  void aMissingStoreIsAcceptedAndAFileIsNot() throws IOException {
    assertThat(RunStore.refusal(tmp.resolve("not-yet"), "--store")).isEmpty();
    Path file = Files.writeString(tmp.resolve("runs.txt"), "");
    assertThat(RunStore.refusal(file, "--store"))
        .hasValue(
            "--store "
                + file
                + ": is a file, not a folder of runs; name a folder (default ./runs)");
  }

  @Test
  void aMavenModuleIsRefusedNamingWhatIsNotARun() throws IOException {
    Path module = tmp.resolve("store");
    Files.createDirectories(module.resolve("src/main/java/dev/faultline/store"));
    Files.createDirectories(module.resolve("src/test/java"));
    Files.createDirectories(module.resolve("target/classes/dev"));
    Files.writeString(module.resolve("pom.xml"), "<project/>");
    assertThat(RunStore.refusal(module, "--store"))
        .hasValue(
            "--store "
                + module
                + ": holds pom.xml, src/main/, src/test/ and 1 more, which are not runs (a run is"
                + " GROUP/TIMESTAMP/ with test.json or history.jsonl); name a folder that holds"
                + " only runs, or a new one (default ./runs)");
  }

  @Test
  void aStrayFileInAGroupIsNotARun() throws IOException {
    Path store = tmp.resolve("runs");
    Files.createDirectories(store.resolve("kv-partition"));
    Files.writeString(store.resolve("kv-partition/notes.txt"), "");
    assertThat(RunStore.refusal(store, "--store").orElseThrow())
        .startsWith("--store " + store + ": holds kv-partition/notes.txt, which is not a run");
  }
}
