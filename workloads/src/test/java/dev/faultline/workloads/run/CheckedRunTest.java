package dev.faultline.workloads.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.checker.CheckOptions;
import dev.faultline.checker.CheckResult;
import dev.faultline.checker.Checker;
import dev.faultline.checker.Verdict;
import dev.faultline.checker.model.Models;
import dev.faultline.histories.History;
import dev.faultline.histories.HistoryRecorder;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.workloads.FakeStore;
import dev.faultline.workloads.Workload;
import dev.faultline.workloads.WorkloadOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs against the in-memory store, judged by the linearizability checker. */
class CheckedRunTest {
  private static final PoolOptions OPTIONS =
      PoolOptions.defaults()
          .withTimeLimit(Duration.ofSeconds(20))
          .withOpLimit(1500)
          .withFinalReads(5, Duration.ofMillis(1));

  private static CheckResult runAndCheck(String workload, FakeStore store, long seed)
      throws InterruptedException {
    Workload w = Workload.named(workload);
    MemoryRecorder recorder = new MemoryRecorder();
    new WorkerPool(
            w.generator(seed, WorkloadOptions.defaults().withOpsPerKey(60)),
            store.clients(),
            recorder,
            OPTIONS)
        .run();
    return check(w, recorder.history());
  }

  private static CheckResult check(Workload w, History h) {
    CheckOptions options =
        CheckOptions.defaults()
            .withModel(Models.named(w.checkerModel().orElseThrow()))
            .withTimeout(Duration.ofSeconds(20));
    return Checker.check(h, options);
  }

  @Test
  void kvRunAgainstALinearizableStoreWithFaultsChecksValid() throws InterruptedException {
    CheckResult r = runAndCheck("kv", new FakeStore(11).failing(0.05).timingOut(0.05), 3);
    assertThat(r.verdict()).as(String.valueOf(r.firstInvalid())).isEqualTo(Verdict.VALID);
  }

  @Test
  void registerRunAgainstALinearizableStoreChecksValid() throws InterruptedException {
    CheckResult r = runAndCheck("register", new FakeStore(12).timingOut(0.02), 4);
    assertThat(r.verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void kvRunAgainstAStoreServingStaleReadsChecksInvalid() throws InterruptedException {
    CheckResult r = runAndCheck("kv", new FakeStore(13).servingStaleReads(0.3), 5);
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
  }

  @Test
  void streamedHistoryFileReadsBackAndChecksValid(@TempDir Path dir)
      throws InterruptedException, IOException {
    Path file = dir.resolve("history.jsonl");
    Workload w = Workload.named("kv");
    try (HistoryRecorder recorder = HistoryRecorder.open(file)) {
      new WorkerPool(
              w.generator(21, WorkloadOptions.defaults()),
              new FakeStore(14).timingOut(0.05).clients(),
              OpRecorder.of(recorder),
              OPTIONS.withOpLimit(500))
          .run();
    }
    History h = HistoryFiles.read(file);
    assertThat(h.calls()).hasSizeGreaterThanOrEqualTo(500);
    assertThat(h.pending()).isEmpty();
    assertThat(check(w, h).verdict()).isEqualTo(Verdict.VALID);
  }
}
