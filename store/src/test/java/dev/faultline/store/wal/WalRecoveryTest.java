package dev.faultline.store.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.faultline.raft.Entry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class WalRecoveryTest {
  @TempDir Path tmp;

  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

  @BeforeEach
  void captureWarnings() {
    warnings.start();
    ((Logger) LoggerFactory.getLogger(WalSegment.class)).addAppender(warnings);
  }

  @AfterEach
  void release() {
    ((Logger) LoggerFactory.getLogger(WalSegment.class)).detachAppender(warnings);
  }

  static Entry entry(long index, long term, int size) {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (index * 31 + i);
    }
    return new Entry(index, term, Entry.Type.COMMAND, data);
  }

  static List<Entry> entries(long from, long to, long term, int size) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(entry(i, term, size));
    }
    return out;
  }

  /** Writes {@code entries} to a fresh log in {@code dir} and closes it. */
  static void write(Path dir, WalOptions options, List<Entry> entries) throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(dir, options)) {
      log.append(entries);
      log.sync();
    }
  }

  static List<Entry> readAll(DurableLogStorage log) {
    return log.entries(log.firstIndex(), log.lastIndex() + 1, Long.MAX_VALUE);
  }

  static Path onlySegment(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      List<Path> all = s.sorted().toList();
      return all.get(all.size() - 1);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  static void flipBit(Path file, long offset) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.put(0, (byte) (b.get(0) ^ 0x04)).position(0);
      ch.write(b, offset);
    }
  }

  /** The byte offset of the record for {@code index} in a single-segment log of equal entries. */
  static long offsetOf(long index, int size) {
    return WalSegment.FILE_HEADER_BYTES + (index - 1) * (WalRecord.HEADER_BYTES + size);
  }

  /** Segments that grow with every append, as written before zeros were written ahead. */
  static final WalOptions APPEND_ONLY = WalOptions.DEFAULT.withPreallocateBytes(0);

  @Test
  void aLastRecordTornAtEveryByteOffsetRecoversExactlyThePreviousRecords() throws IOException {
    Path original = tmp.resolve("original");
    List<Entry> written = entries(1, 5, 1, 40);
    write(original, APPEND_ONLY, written);
    long lastStart = offsetOf(5, 40);
    long fileSize = Files.size(onlySegment(original));
    assertThat(fileSize).isEqualTo(lastStart + WalRecord.HEADER_BYTES + 40);
    for (long cut = lastStart; cut < fileSize; cut++) {
      Path dir = tmp.resolve("cut-" + cut);
      copyTree(original, dir);
      try (FileChannel ch = FileChannel.open(onlySegment(dir), StandardOpenOption.WRITE)) {
        ch.truncate(cut);
      }
      try (DurableLogStorage log = DurableLogStorage.open(dir, APPEND_ONLY)) {
        assertThat(log.lastIndex()).as("cut at %d", cut).isEqualTo(4);
        assertThat(readAll(log)).isEqualTo(written.subList(0, 4));
        // The log goes on from the truncated tail.
        log.append(List.of(entry(5, 2, 7)));
        log.sync();
      }
      try (DurableLogStorage log = DurableLogStorage.open(dir, APPEND_ONLY)) {
        assertThat(log.lastIndex()).isEqualTo(5);
        assertThat(log.term(5)).isEqualTo(2);
      }
      assertThat(Files.size(onlySegment(dir))).isEqualTo(lastStart + WalRecord.HEADER_BYTES + 7);
    }
  }

  /**
   * With zeros written ahead, a write torn part-way leaves the record's first bytes and then zeros
   * (the file does not shrink): every such prefix is cut off, the records before it kept, and the
   * log goes on from there, over the zeros.
   */
  @Test
  void aRecordTornInPreallocatedSpaceAtEveryByteOffsetRecoversThePreviousRecords()
      throws IOException {
    Path original = tmp.resolve("original");
    List<Entry> written = entries(1, 5, 1, 40);
    WalOptions ahead = WalOptions.DEFAULT.withPreallocateBytes(4096);
    write(original, ahead, written);
    long lastStart = offsetOf(5, 40);
    long lastEnd = lastStart + WalRecord.HEADER_BYTES + 40;
    long prealloc = ahead.preallocateBytes();
    assertThat(Files.size(onlySegment(original))).isEqualTo(prealloc);
    byte[] bytes = Files.readAllBytes(onlySegment(original));
    for (long cut = lastStart; cut < lastEnd; cut++) {
      Path dir = tmp.resolve("torn-" + cut);
      copyTree(original, dir);
      try (FileChannel ch = FileChannel.open(onlySegment(dir), StandardOpenOption.WRITE)) {
        Fsync.writeFully(ch, java.nio.ByteBuffer.allocate((int) (lastEnd - cut)), cut);
      }
      warnings.list.clear();
      try (DurableLogStorage log = DurableLogStorage.open(dir, ahead)) {
        assertThat(log.lastIndex()).as("torn at %d", cut).isEqualTo(4);
        assertThat(readAll(log)).isEqualTo(written.subList(0, 4));
        log.append(List.of(entry(5, 2, 7)));
        log.sync();
      }
      // Nothing but zeros of the record written (its length's high bytes are zeros): the zeros
      // simply end the log, with no warning; anything more is a torn write, cut with one.
      boolean anyWritten = false;
      for (long b = lastStart; b < cut; b++) {
        anyWritten |= bytes[(int) b] != 0;
      }
      assertThat(warnings.list).as("torn at %d", cut).hasSize(anyWritten ? 1 : 0);
      try (DurableLogStorage log = DurableLogStorage.open(dir, ahead)) {
        assertThat(log.lastIndex()).isEqualTo(5);
        assertThat(log.term(5)).isEqualTo(2);
        assertThat(readAll(log).subList(0, 4)).isEqualTo(written.subList(0, 4));
      }
      assertThat(Files.size(onlySegment(dir))).isEqualTo(prealloc);
    }
  }

  @Test
  void theActiveSegmentIsFilledAheadAndASealedSegmentEndsWithItsLastRecord() throws IOException {
    Path dir = tmp.resolve("log");
    WalOptions small = WalOptions.DEFAULT.withSegmentBytes(4096).withPreallocateBytes(1024);
    List<Entry> written = entries(1, 40, 1, 100);
    write(dir, small, written);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      files = s.sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(1);
    for (Path sealed : files.subList(0, files.size() - 1)) {
      byte[] bytes = Files.readAllBytes(sealed);
      assertThat(bytes[bytes.length - 1]).as("%s ends with a record", sealed).isNotZero();
    }
    assertThat(Files.size(files.get(files.size() - 1)) % 1024).isZero();
    warnings.list.clear();
    try (DurableLogStorage log = DurableLogStorage.open(dir, small)) {
      assertThat(readAll(log)).isEqualTo(written);
    }
    assertThat(warnings.list).isEmpty();
  }

  @Test
  void aSegmentWrittenAheadReopensWithoutZerosAheadAndGoesOnGrowing() throws IOException {
    Path dir = tmp.resolve("log");
    List<Entry> first = entries(1, 3, 1, 50);
    write(dir, WalOptions.DEFAULT, first);
    try (DurableLogStorage log = DurableLogStorage.open(dir, APPEND_ONLY)) {
      assertThat(readAll(log)).isEqualTo(first);
      log.append(entries(4, 6, 1, 50));
      log.sync();
    }
    try (DurableLogStorage log = DurableLogStorage.open(dir)) {
      assertThat(readAll(log)).isEqualTo(entries(1, 6, 1, 50));
    }
  }

  @Test
  void aZeroFilledTailIsTruncated() throws IOException {
    write(tmp, WalOptions.DEFAULT, entries(1, 3, 1, 20));
    Files.write(onlySegment(tmp), new byte[4096], StandardOpenOption.APPEND);
    try (DurableLogStorage log = DurableLogStorage.open(tmp)) {
      assertThat(log.lastIndex()).isEqualTo(3);
    }
  }

  @Test
  void aFlippedBitInAMiddleRecordIsRefusedNamingFileAndOffset() throws IOException {
    write(tmp, WalOptions.DEFAULT, entries(1, 5, 1, 40));
    Path seg = onlySegment(tmp);
    long at = offsetOf(3, 40);
    flipBit(seg, at + WalRecord.HEADER_BYTES + 10);
    assertThatThrownBy(() -> DurableLogStorage.open(tmp))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(seg.getFileName().toString())
        .hasMessageContaining("offset " + at)
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("do not delete the data directory");
  }

  @Test
  void aFlippedBitInAMiddleRecordsLengthIsRefused() throws IOException {
    write(tmp, WalOptions.DEFAULT, entries(1, 5, 1, 40));
    long at = offsetOf(2, 40);
    flipBit(onlySegment(tmp), at + 3);
    assertThatThrownBy(() -> DurableLogStorage.open(tmp))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("offset " + at);
  }

  @Test
  void aFlippedBitInTheLastRecordIsTruncatedWithAWarning() throws IOException {
    write(tmp, WalOptions.DEFAULT, entries(1, 5, 1, 40));
    Path seg = onlySegment(tmp);
    long at = offsetOf(5, 40);
    flipBit(seg, at + 30);
    try (DurableLogStorage log = DurableLogStorage.open(tmp)) {
      assertThat(log.lastIndex()).isEqualTo(4);
    }
    assertThat(warnings.list)
        .anySatisfy(
            e -> {
              assertThat(e.getLevel().toString()).isEqualTo("WARN");
              assertThat(e.getFormattedMessage())
                  .contains(seg.toString())
                  .contains("offset " + at)
                  .contains("checksum mismatch");
            });
  }

  @Test
  void damageAtTheEndOfAnOlderSegmentIsRefused() throws IOException {
    WalOptions small = WalOptions.DEFAULT.withSegmentBytes(1024);
    write(tmp, small, entries(1, 40, 1, 100));
    Path first;
    try (Stream<Path> s = Files.list(tmp.resolve("wal"))) {
      first = s.sorted().findFirst().orElseThrow();
    }
    long size = Files.size(first);
    flipBit(first, size - 5);
    assertThatThrownBy(() -> DurableLogStorage.open(tmp, small))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(first.getFileName().toString())
        .hasMessageContaining("not the newest");
  }

  @Test
  void aMissingMiddleSegmentIsRefused() throws IOException {
    WalOptions small = WalOptions.DEFAULT.withSegmentBytes(1024);
    write(tmp, small, entries(1, 40, 1, 100));
    List<Path> segs;
    try (Stream<Path> s = Files.list(tmp.resolve("wal"))) {
      segs = s.sorted().toList();
    }
    assertThat(segs.size()).isGreaterThan(2);
    Files.delete(segs.get(1));
    assertThatThrownBy(() -> DurableLogStorage.open(tmp, small))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(segs.get(2).getFileName().toString())
        .hasMessageContaining("entries missing");
  }

  /** Writes 40 entries over several small segments and records commit 40 in the hard state. */
  private List<Path> committedLogInSegments(WalOptions small) throws IOException {
    try (DurableLogStorage log = DurableLogStorage.open(tmp, small)) {
      log.append(entries(1, 40, 1, 100));
      log.saveHardState(new dev.faultline.raft.HardState(1, "n1", 40));
      log.sync();
    }
    try (Stream<Path> s = Files.list(tmp.resolve("wal"))) {
      return s.sorted().toList();
    }
  }

  @Test
  void aDeletedNewestSegmentWithTheHardStateKeptIsRefused() throws IOException {
    WalOptions small = WalOptions.DEFAULT.withSegmentBytes(1024);
    List<Path> segs = committedLogInSegments(small);
    assertThat(segs.size()).isGreaterThan(2);
    Files.delete(segs.get(segs.size() - 1));
    assertThatThrownBy(() -> DurableLogStorage.open(tmp, small))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("hardstate records commit index 40")
        .hasMessageContaining("were deleted or rolled back")
        .hasMessageContaining("Replacing a node that lost its data");
  }

  @Test
  void anEmptiedLogWithTheHardStateKeptIsRefused() throws IOException {
    WalOptions small = WalOptions.DEFAULT.withSegmentBytes(1024);
    for (Path seg : committedLogInSegments(small)) {
      Files.delete(seg);
    }
    assertThatThrownBy(() -> DurableLogStorage.open(tmp, small))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("commit index 40 but the log and snapshots end at index 0");
  }
}
