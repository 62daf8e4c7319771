package dev.faultline.store.snapshot;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.raft.Entry;
import dev.faultline.raft.SnapshotMeta;
import dev.faultline.store.KvCommand;
import dev.faultline.store.KvStateMachine;
import dev.faultline.store.wal.DurableLogStorage;
import dev.faultline.store.wal.WalOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots through the {@link SnapshotStore}, and a node's restart from snapshot plus log. */
class SnapshotRecoveryTest {
  @TempDir Path dir;

  private static final WalOptions SMALL = WalOptions.DEFAULT.withSegmentBytes(2048);

  private static SnapshotMeta meta(long index) {
    return new SnapshotMeta(index, 1, Set.of("n1", "n2", "n3"), Set.of("n4"));
  }

  private static byte[] command(long i) {
    KvCommand c =
        i % 4 == 3
            ? new KvCommand.Delete(("k" + (i % 17)).getBytes(UTF_8), i % 3, i)
            : new KvCommand.Put(
                ("k" + (i % 17)).getBytes(UTF_8), ("v" + i).getBytes(UTF_8), i % 3, i);
    return c.encode();
  }

  private static Map<String, String> contents(KvStateMachine m) {
    Map<String, String> out = new TreeMap<>();
    m.map().forEach((k, v) -> out.put(HexFormat.of().formatHex(k), HexFormat.of().formatHex(v)));
    return out;
  }

  /** Appends and applies commands {@code from..to} as a node would. */
  private static void run(DurableLogStorage log, KvStateMachine sm, long from, long to) {
    List<Entry> batch = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      batch.add(new Entry(i, 1, Entry.Type.COMMAND, command(i)));
    }
    log.append(batch);
    log.sync();
    for (Entry e : batch) {
      sm.apply(e.index(), e.data());
    }
  }

  private static void snapshot(DurableLogStorage log, KvStateMachine sm) throws IOException {
    SnapshotMeta meta = meta(sm.appliedIndex());
    log.snapshots().save(meta, sm::writeSnapshot);
    log.installSnapshot(meta);
  }

  /** Recovers a state machine as a node starts: newest snapshot, then the log after it. */
  private static KvStateMachine recover(DurableLogStorage log) throws IOException {
    KvStateMachine sm = new KvStateMachine();
    Optional<SnapshotStore.SnapshotReader> newest = log.snapshots().openNewest();
    if (newest.isPresent()) {
      try (SnapshotStore.SnapshotReader r = newest.get()) {
        assertThat(r.meta()).isEqualTo(log.snapshot());
        sm.restoreSnapshot(r.meta().index(), r.stream());
      }
    }
    for (Entry e : log.entries(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE)) {
      sm.apply(e.index(), e.data());
    }
    return sm;
  }

  @Test
  void aSnapshotRoundTripsAtItsExactIndex() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    try (KvStateMachine sm = new KvStateMachine();
        KvStateMachine copy = new KvStateMachine()) {
      for (long i = 1; i <= 300; i++) {
        sm.apply(i, command(i));
      }
      store.save(meta(300), sm::writeSnapshot);
      SnapshotStore reopened = SnapshotStore.open(dir);
      assertThat(reopened.newest()).isEqualTo(meta(300));
      try (SnapshotStore.SnapshotReader r = reopened.openNewest().orElseThrow()) {
        copy.restoreSnapshot(r.meta().index(), r.stream());
      }
      assertThat(copy.appliedIndex()).isEqualTo(300);
      assertThat(contents(copy)).isEqualTo(contents(sm));
      assertThat(copy.sessionCount()).isEqualTo(sm.sessionCount()).isPositive();
    }
  }

  @Test
  void aRestartFromSnapshotAndLogGivesTheSameState() throws IOException {
    Map<String, String> before;
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL);
        KvStateMachine sm = new KvStateMachine()) {
      run(log, sm, 1, 120);
      snapshot(log, sm);
      run(log, sm, 121, 200);
      snapshot(log, sm);
      run(log, sm, 201, 260);
      before = contents(sm);
    }
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL);
        KvStateMachine sm = recover(log)) {
      assertThat(log.snapshot().index()).isEqualTo(200);
      assertThat(log.lastIndex()).isEqualTo(260);
      assertThat(sm.appliedIndex()).isEqualTo(260);
      assertThat(contents(sm)).isEqualTo(before);
    }
  }

  @Test
  void aCorruptNewestSnapshotFallsBackToThePreviousAndTheLogAfterIt() throws IOException {
    Map<String, String> before;
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL);
        KvStateMachine sm = new KvStateMachine()) {
      run(log, sm, 1, 100);
      snapshot(log, sm);
      run(log, sm, 101, 200);
      snapshot(log, sm);
      run(log, sm, 201, 220);
      before = contents(sm);
    }
    Path newest = dir.resolve("snapshots").resolve(String.format("%020d-%020d.snap", 200, 1));
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length / 2] ^= 0x20;
    Files.write(newest, bytes);

    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL);
        KvStateMachine sm = recover(log)) {
      assertThat(log.snapshot().index()).isEqualTo(100);
      assertThat(log.snapshots().rejected()).singleElement().asString().contains("checksum");
      assertThat(sm.appliedIndex()).isEqualTo(220);
      assertThat(contents(sm)).isEqualTo(before);
    }
  }

  @Test
  void onlyTheNewestTwoSnapshotsAreKept() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    for (long i = 1; i <= 4; i++) {
      store.save(meta(i * 10), out -> out.write(new byte[] {1, 2}));
    }
    assertThat(store.snapshots()).extracting(s -> s.meta().index()).containsExactly(40L, 30L);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly(
              "00000000000000000030-00000000000000000001.snap",
              "00000000000000000040-00000000000000000001.snap",
              "manifest");
    }
    assertThat(SnapshotStore.open(dir).newest()).isEqualTo(meta(40));
  }

  @Test
  void aStreamThatDoesNotMatchItsManifestFailsAtItsEnd() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    StoredSnapshot s = store.save(meta(5), out -> out.write(new byte[] {1, 2, 3, 4}));
    Files.write(s.file(), new byte[] {1, 2, 3, 5});
    try (SnapshotStore.SnapshotReader r = store.open(s)) {
      assertThatThrownBy(() -> r.stream().readAllBytes())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("fails its checksum");
    }
  }

  @Test
  void aDamagedManifestIsRefusedWithItsPath() throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    store.save(meta(5), out -> out.write(1));
    Path manifest = dir.resolve("manifest");
    Files.writeString(manifest, Files.readString(manifest).replace("index=5", "index=6"));
    assertThatThrownBy(() -> SnapshotStore.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(manifest.toString())
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void aLostSnapshotWithACompactedLogIsRefusedNotSilentlyEmpty() throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir, SMALL);
        KvStateMachine sm = new KvStateMachine()) {
      run(log, sm, 1, 150);
      snapshot(log, sm);
    }
    Files.delete(dir.resolve("snapshots").resolve(String.format("%020d-%020d.snap", 150, 1)));
    assertThatThrownBy(() -> DurableLogStorage.open(dir, SMALL))
        .hasMessageContaining("entries in between are lost")
        .hasMessageContaining("the file is missing");
  }
}
