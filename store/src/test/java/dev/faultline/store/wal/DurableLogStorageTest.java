package dev.faultline.store.wal;

import static dev.faultline.store.wal.WalRecoveryTest.entries;
import static dev.faultline.store.wal.WalRecoveryTest.entry;
import static dev.faultline.store.wal.WalRecoveryTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.raft.Entry;
import dev.faultline.raft.HardState;
import dev.faultline.raft.SnapshotMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableLogStorageTest {
  @TempDir Path dir;

  private static final WalOptions SMALL = WalOptions.DEFAULT.withSegmentBytes(1024);

  private static SnapshotMeta meta(long index, long term) {
    return new SnapshotMeta(index, term, Set.of("n1", "n2", "n3"), Set.of());
  }

  @Test
  void anEmptyDirectoryOpensAnEmptyLog() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      assertThat(log.firstIndex()).isEqualTo(1);
      assertThat(log.lastIndex()).isZero();
      assertThat(log.term(0)).isZero();
      assertThat(log.hardState()).isEqualTo(HardState.EMPTY);
      assertThat(log.snapshot()).isEqualTo(SnapshotMeta.NONE);
      assertThat(log.entries(1, 1, 100)).isEmpty();
    }
    assertThat(dir.resolve("wal/00000000000000000001.wal")).exists();
  }

  @Test
  void entriesRoundTripAcrossSegmentRolls() throws IOException {
    List<Entry> written = new ArrayList<>();
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      for (long i = 1; i <= 200; i += 10) {
        List<Entry> batch = entries(i, i + 9, 1 + i / 50, 60 + (int) (i % 7));
        log.append(batch);
        log.sync();
        written.addAll(batch);
      }
      assertThat(log.segmentFiles().size()).isGreaterThan(10);
      assertThat(readAll(log)).isEqualTo(written);
    }
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      assertThat(log.lastIndex()).isEqualTo(200);
      assertThat(readAll(log)).isEqualTo(written);
      assertThat(log.term(200)).isEqualTo(written.get(199).term());
      for (Path p : log.segmentFiles()) {
        assertThat(p.getFileName().toString()).matches("\\d{20}\\.wal");
      }
    }
  }

  @Test
  void entriesStopAtMaxBytesButReturnAtLeastOne() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      log.append(entries(1, 10, 1, 100));
      assertThat(log.entries(1, 11, 250)).hasSize(2);
      assertThat(log.entries(1, 11, 1)).hasSize(1);
      assertThatThrownBy(() -> log.entries(0, 3, 10)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> log.entries(5, 12, 10))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void aConflictingSuffixIsReplacedDurably() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      log.append(entries(1, 40, 1, 50));
      log.sync();
      int segmentsBefore = log.segmentFiles().size();
      log.append(entries(12, 14, 2, 10));
      log.sync();
      assertThat(log.lastIndex()).isEqualTo(14);
      assertThat(log.term(11)).isEqualTo(1);
      assertThat(log.term(12)).isEqualTo(2);
      assertThat(log.segmentFiles().size()).isLessThan(segmentsBefore);
    }
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      assertThat(log.lastIndex()).isEqualTo(14);
      assertThat(log.entries(11, 15, Long.MAX_VALUE))
          .containsExactly(entry(11, 1, 50), entry(12, 2, 10), entry(13, 2, 10), entry(14, 2, 10));
    }
  }

  @Test
  void appendsThatLeaveAGapOrRewriteTheSnapshotAreRefused() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      log.append(entries(1, 3, 1, 5));
      assertThatThrownBy(() -> log.append(List.of(entry(5, 1, 5))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("index 5");
    }
  }

  @Test
  void installingASnapshotDropsCoveredSegmentsAndKeepsAgreeingEntries() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      log.append(entries(1, 100, 1, 50));
      log.sync();
      int before = log.segmentFiles().size();
      log.snapshots().save(meta(50, 1), out -> out.write(new byte[] {1, 2, 3}));
      log.installSnapshot(meta(50, 1));
      log.snapshots().save(meta(80, 1), out -> out.write(new byte[] {4}));
      log.installSnapshot(meta(80, 1));
      assertThat(log.firstIndex()).isEqualTo(81);
      assertThat(log.lastIndex()).isEqualTo(100);
      assertThat(log.term(80)).isEqualTo(1);
      assertThatThrownBy(() -> log.term(79)).isInstanceOf(IndexOutOfBoundsException.class);
      // Segments behind the older kept snapshot (50) are gone; the rest stay for fallback.
      assertThat(log.segmentFiles().size()).isLessThan(before);
      assertThat(WalSegment.parseName(log.segmentFiles().get(0).getFileName().toString()))
          .isLessThanOrEqualTo(51);
      assertThat(log.hardState().commit()).isEqualTo(80);
    }
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      assertThat(log.snapshot()).isEqualTo(meta(80, 1));
      assertThat(log.firstIndex()).isEqualTo(81);
      assertThat(readAll(log)).isEqualTo(entries(81, 100, 1, 50));
    }
  }

  @Test
  void aSnapshotThatDisagreesWithTheLogDiscardsIt() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      log.append(entries(1, 30, 1, 50));
      log.snapshots().save(meta(20, 3), out -> out.write(1));
      log.installSnapshot(meta(20, 3));
      assertThat(log.lastIndex()).isEqualTo(20);
      assertThat(log.firstIndex()).isEqualTo(21);
      log.append(List.of(entry(21, 3, 5)));
      log.sync();
    }
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      assertThat(log.lastIndex()).isEqualTo(21);
      assertThat(log.term(21)).isEqualTo(3);
    }
  }

  @Test
  void installingAnUnsavedSnapshotIsRefused() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      assertThatThrownBy(() -> log.installSnapshot(meta(5, 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("SnapshotStore.save");
    }
  }

  @Test
  void compactionDropsSegmentsUpToTheSnapshotOnly() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      log.append(entries(1, 100, 1, 50));
      log.snapshots().save(meta(90, 1), out -> out.write(1));
      log.installSnapshot(meta(90, 1));
      // Only one snapshot kept so far: segments up to it may go.
      long first = WalSegment.parseName(log.segmentFiles().get(0).getFileName().toString());
      assertThat(first).isGreaterThan(70).isLessThanOrEqualTo(91);
      assertThatThrownBy(() -> log.compact(95)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void termAndVoteAreDurableAfterSync() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      log.saveHardState(new HardState(3, "n2", 0));
      log.sync();
    }
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      assertThat(log.hardState()).isEqualTo(new HardState(3, "n2", 0));
      log.append(entries(1, 5, 3, 5));
      log.saveHardState(new HardState(3, "n2", 4));
      log.sync();
    }
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      // Written at close: commit is not forced on every sync.
      assertThat(log.hardState()).isEqualTo(new HardState(3, "n2", 4));
    }
  }

  @Test
  void hardStateSurvivesACrashBetweenTempWriteAndRename() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      log.saveHardState(new HardState(5, "n1", 0));
      log.sync();
    }
    HardStateFile.writeTempOnly(dir, new HardState(6, "n3", 0));
    assertThat(dir.resolve("hardstate.tmp")).exists();
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      assertThat(log.hardState()).isEqualTo(new HardState(5, "n1", 0));
    }
    assertThat(dir.resolve("hardstate.tmp")).doesNotExist();
  }

  @Test
  void aCorruptHardStateFileIsRefusedClearly() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      log.saveHardState(new HardState(5, null, 0));
      log.sync();
    }
    byte[] bytes = Files.readAllBytes(dir.resolve("hardstate"));
    bytes[8] ^= 1;
    Files.write(dir.resolve("hardstate"), bytes);
    assertThatThrownBy(() -> DurableLogStorage.open(dir))
        .hasMessageContaining("hardstate")
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void appendsGoOnWhileAStartedSyncRunsOnAnotherThread() throws Exception {
    List<Entry> written = new ArrayList<>();
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      for (long i = 1; i <= 200; i += 10) {
        Runnable sync = log.startSync();
        Thread syncer = new Thread(sync);
        syncer.start();
        List<Entry> batch = entries(i, i + 9, 1, 60);
        log.append(batch); // rolls segments now and then, while the other thread forces
        written.addAll(batch);
        syncer.join(10_000);
        assertThat(syncer.isAlive()).isFalse();
      }
      log.startSync().run();
      assertThat(readAll(log)).isEqualTo(written);
    }
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL)) {
      assertThat(readAll(log)).isEqualTo(written);
    }
  }

  @Test
  void aStartedSyncWritesATermChangeAtOnceButNeverACommitIndexAheadOfTheLog() throws Exception {
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      log.append(entries(1, 3, 1, 10));
      log.saveHardState(new HardState(2, "n1", 0));
      Runnable rest = log.startSync();
      assertThat(HardStateFile.read(dir)).isEqualTo(new HardState(2, "n1", 0));
      rest.run();

      log.append(entries(4, 6, 2, 10));
      log.saveHardState(new HardState(2, "n1", 6));
      log.startSync().run();
      assertThat(HardStateFile.read(dir).commit())
          .as("the commit index waits for a term change or close")
          .isZero();
    }
  }
}
