package dev.faultline.store.wal;

import static dev.faultline.store.wal.WalRecoveryTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.raft.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL's in-memory tail: what it serves, what it forgets, and that reads agree with the file.
 */
class TailCacheTest {
  @TempDir Path dir;

  private static List<Entry> run(long from, long to, long term, int size) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(entry(i, term, size));
    }
    return out;
  }

  @Test
  void entriesJustAppendedAreServedWithoutReadingTheFile() throws IOException {
    try (SegmentedWal wal = SegmentedWal.open(dir, WalOptions.DEFAULT, 1)) {
      wal.append(run(1, 50, 1, 100));
      assertThat(wal.entries(1, 51, Long.MAX_VALUE)).isEqualTo(run(1, 50, 1, 100));
      assertThat(wal.fileReads()).isZero();
    }
  }

  @Test
  void anOverwrittenSuffixIsNeverServedFromMemory() throws IOException {
    try (SegmentedWal wal = SegmentedWal.open(dir, WalOptions.DEFAULT, 1)) {
      wal.append(run(1, 10, 1, 40));
      wal.append(run(6, 8, 2, 60));
      List<Entry> expected = new ArrayList<>(run(1, 5, 1, 40));
      expected.addAll(run(6, 8, 2, 60));
      assertThat(wal.lastIndex()).isEqualTo(8);
      assertThat(wal.entries(1, 9, Long.MAX_VALUE)).isEqualTo(expected);
      assertThat(wal.fileReads()).isZero();
    }
  }

  @Test
  void olderEntriesFallOutAndAreReadFromTheFile() throws IOException {
    // Room for about four entries of 100 bytes (each counts 124).
    WalOptions small = WalOptions.DEFAULT.withTailCacheBytes(500);
    try (SegmentedWal wal = SegmentedWal.open(dir, small, 1)) {
      wal.append(run(1, 20, 1, 100));
      assertThat(wal.entries(17, 21, Long.MAX_VALUE)).isEqualTo(run(17, 20, 1, 100));
      assertThat(wal.fileReads()).isZero();
      assertThat(wal.entries(1, 21, Long.MAX_VALUE)).isEqualTo(run(1, 20, 1, 100));
      assertThat(wal.fileReads()).isEqualTo(16);
    }
  }

  @Test
  void aReopenedLogReadsFromTheFileAndARebuiltOneForgetsItsTail() throws IOException {
    try (SegmentedWal wal = SegmentedWal.open(dir, WalOptions.DEFAULT, 1)) {
      wal.append(run(1, 5, 1, 10));
      wal.sync();
    }
    try (SegmentedWal wal = SegmentedWal.open(dir, WalOptions.DEFAULT, 1)) {
      assertThat(wal.entries(1, 6, Long.MAX_VALUE)).isEqualTo(run(1, 5, 1, 10));
      assertThat(wal.fileReads()).isEqualTo(5);
      wal.reset(100);
      wal.append(run(100, 102, 3, 10));
      assertThat(wal.entries(100, 103, Long.MAX_VALUE)).isEqualTo(run(100, 102, 3, 10));
      assertThat(wal.fileReads()).isEqualTo(5);
    }
  }

  @Test
  void theCacheItselfKeepsAContiguousRunEndingAtTheNewestEntry() {
    TailCache cache = new TailCache(1_000);
    for (Entry e : run(1, 5, 1, 100)) {
      cache.add(e);
    }
    assertThat(cache.size()).isEqualTo(5);
    cache.truncateFrom(4);
    assertThat(cache.get(4)).isNull();
    assertThat(cache.get(3)).isEqualTo(entry(3, 1, 100));
    cache.add(entry(7, 2, 100)); // not the next index: the run restarts there
    assertThat(cache.get(3)).isNull();
    assertThat(cache.get(7)).isEqualTo(entry(7, 2, 100));
    cache.add(entry(8, 2, 5_000)); // larger than the whole budget: nothing held
    assertThat(cache.size()).isZero();
    assertThat(new TailCache(0).get(1)).isNull();
  }
}
