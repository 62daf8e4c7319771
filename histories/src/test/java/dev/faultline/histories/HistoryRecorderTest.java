package dev.faultline.histories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryRecorderTest {
  @TempDir Path dir;

  @Test
  void concurrentRecordingYieldsAWellPairedHistoryOnDiskAndInMemory() throws Exception {
    Path file = dir.resolve("history.jsonl");
    int threads = 4;
    int callsPerThread = 300;
    try (HistoryRecorder rec = HistoryRecorder.open(file)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          long process = t;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < callsPerThread; i++) {
                      Op inv = rec.invoke(process, "write", "k" + (i % 5), (long) i);
                      OpType end = i % 7 == 0 ? OpType.INFO : OpType.OK;
                      rec.complete(inv, end, (long) i, "n1", end == OpType.INFO ? "timeout" : null);
                      if (i % 100 == 0 && process == 0) {
                        rec.nemesis(OpType.INFO, "start-partition", Map.of("n1", List.of("n2")));
                      }
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      History inMemory = rec.history();
      History onDisk = HistoryFiles.read(file);
      assertThat(onDisk.ops()).isEqualTo(inMemory.ops());
      assertThat(inMemory.calls()).hasSize(threads * callsPerThread);
      assertThat(inMemory.pending()).isEmpty();
      assertThat(inMemory.nemesisEvents()).hasSize(3);
      long last = 0;
      for (Op op : onDisk.ops()) {
        assertThat(op.time()).isGreaterThanOrEqualTo(last);
        last = op.time();
      }
      for (List<Op> ops : onDisk.byProcess().values()) {
        assertThat(ops).hasSize(2 * callsPerThread);
      }
    }
  }

  @Test
  void aFileCutMidLineReadsBackWithAnErrorNamingTheTornLine() throws IOException {
    Path file = dir.resolve("crashed.jsonl");
    try (HistoryRecorder rec = HistoryRecorder.open(file)) {
      for (int i = 0; i < 10; i++) {
        Op inv = rec.invoke(i % 3, "read", null, null);
        rec.complete(inv, OpType.OK, (long) i, null, null);
      }
    }
    long size = Files.size(file);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size - 12);
    }
    HistoryFormatException e =
        catchThrowableOfType(() -> HistoryFiles.read(file), HistoryFormatException.class);
    assertThat(e).isNotNull();
    assertThat(e.line()).isEqualTo(20);
    assertThat(e.getMessage()).startsWith(file + ":20:").contains("cut short");
  }

  @Test
  void aCompletionThatDoesNotFitIsRefusedAndNotWritten() throws IOException {
    Path file = dir.resolve("h.jsonl");
    try (HistoryRecorder rec = HistoryRecorder.open(file)) {
      Op inv = rec.invoke(1, "read", null, null);
      rec.complete(inv, OpType.OK, 1L, null, null);
      assertThatThrownBy(() -> rec.complete(inv, OpType.OK, 1L, null, null))
          .isInstanceOf(InvalidHistoryException.class);
      assertThat(Files.readAllLines(file)).hasSize(2);
    }
  }
}
