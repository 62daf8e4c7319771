package dev.faultline.store.snapshot;

import dev.faultline.raft.SnapshotMeta;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot files of a node and their manifest, in one directory. A snapshot is written to a
 * temp file, fsync'd and renamed, and only then named in the manifest (itself replaced atomically),
 * so the manifest only ever names complete files. The newest {@value #KEEP} are kept; on open each
 * is checked (size and CRC32C) and a damaged one is passed over for the one before.
 */
public final class SnapshotStore {
  private static final Logger log = LoggerFactory.getLogger(SnapshotStore.class);

  /** How many snapshots are kept: the newest, and one to fall back on if it is damaged. */
  public static final int KEEP = 2;

  /** Writes a snapshot's bytes, e.g. {@code stateMachine::writeSnapshot}. */
  @FunctionalInterface
  public interface SnapshotWriter {
    void write(OutputStream out) throws IOException;
  }

  /**
   * An open snapshot. The stream checks the file's length and CRC32C when it reaches the end and
   * throws {@link IOException} there if they do not match.
   */
  public record SnapshotReader(SnapshotMeta meta, InputStream stream) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  private final Path dir;
  private final List<StoredSnapshot> valid = new ArrayList<>();
  private final List<String> rejected = new ArrayList<>();

  private SnapshotStore(Path dir) {
    this.dir = dir;
  }

  /** Opens (creating if needed) the store in {@code dir} and checks every kept snapshot. */
  public static SnapshotStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    SnapshotStore store = new SnapshotStore(dir);
    for (StoredSnapshot s : SnapshotManifest.read(dir)) {
      String problem = store.check(s);
      if (problem == null) {
        store.valid.add(s);
      } else {
        store.rejected.add(s.file() + ": " + problem);
        log.warn(
            "snapshot {} at index {} is unusable ({}); falling back to an older one",
            s.file(),
            s.meta().index(),
            problem);
      }
    }
    return store;
  }

  public Path directory() {
    return dir;
  }

  /** The newest usable snapshot's identity, or {@link SnapshotMeta#NONE}. */
  public SnapshotMeta newest() {
    return valid.isEmpty() ? SnapshotMeta.NONE : valid.get(0).meta();
  }

  /** The usable snapshots, newest first. */
  public List<StoredSnapshot> snapshots() {
    return List.copyOf(valid);
  }

  /** Why snapshots named by the manifest were found unusable at open (file: reason). */
  public List<String> rejected() {
    return List.copyOf(rejected);
  }

  /**
   * Stores the snapshot {@code writer} produces as {@code meta}, durably, then prunes all but the
   * newest {@value #KEEP}.
   */
  public StoredSnapshot save(SnapshotMeta meta, SnapshotWriter writer) throws IOException {
    SnapshotManifest.checkIds(meta.voters());
    SnapshotManifest.checkIds(meta.learners());
    String name = String.format("%020d-%020d.snap", meta.index(), meta.term());
    Path file = dir.resolve(name);
    Path tmp = dir.resolve(name + ".tmp");
    CRC32C crc = new CRC32C();
    long[] size = {0};
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream counting =
          new FilterOutputStream(Channels.newOutputStream(ch)) {
            @Override
            public void write(int b) throws IOException {
              out.write(b);
              crc.update(b);
              size[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
              crc.update(b, off, len);
              size[0] += len;
            }

            @Override
            public void close() {}
          };
      BufferedOutputStream out = new BufferedOutputStream(counting, 1 << 16);
      writer.write(out);
      out.flush();
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    StoredSnapshot stored = new StoredSnapshot(meta, file, size[0], (int) crc.getValue());
    List<StoredSnapshot> kept = new ArrayList<>();
    kept.add(stored);
    for (StoredSnapshot s : valid) {
      if (s.meta().index() < meta.index() && kept.size() < KEEP) {
        kept.add(s);
      }
    }
    // The manifest replacement fsyncs the directory, which also makes the rename durable.
    SnapshotManifest.write(dir, kept);
    valid.clear();
    valid.addAll(kept);
    prune();
    return stored;
  }

  /** Opens the newest usable snapshot, if any. */
  public Optional<SnapshotReader> openNewest() throws IOException {
    return valid.isEmpty() ? Optional.empty() : Optional.of(open(valid.get(0)));
  }

  /** Opens {@code s} for reading; the stream verifies length and checksum at its end. */
  public SnapshotReader open(StoredSnapshot s) throws IOException {
    return new SnapshotReader(s.meta(), new VerifyingStream(s, Files.newInputStream(s.file())));
  }

  /** Why {@code s} is unusable, or null when its file has the recorded length and checksum. */
  private String check(StoredSnapshot s) {
    try (InputStream in = new VerifyingStream(s, Files.newInputStream(s.file()))) {
      in.transferTo(OutputStream.nullOutputStream());
      return null;
    } catch (java.nio.file.NoSuchFileException e) {
      return "the file is missing";
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** Deletes snapshot files the manifest no longer names, and leftover temp files. */
  private void prune() throws IOException {
    List<Path> keep = valid.stream().map(StoredSnapshot::file).toList();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String n = p.getFileName().toString();
        if ((n.endsWith(".snap") && !keep.contains(p)) || n.endsWith(".snap.tmp")) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Passes bytes through and, at the end, checks them against the manifest's record. */
  private static final class VerifyingStream extends FilterInputStream {
    private final StoredSnapshot expected;
    private final CRC32C crc = new CRC32C();
    private long count;
    private boolean verified;

    VerifyingStream(StoredSnapshot expected, InputStream in) {
      super(in);
      this.expected = expected;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b < 0) {
        verify();
      } else {
        crc.update(b);
        count++;
        overrun();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n < 0) {
        verify();
      } else {
        crc.update(b, off, n);
        count += n;
        overrun();
      }
      return n;
    }

    /** Skipped bytes are read, so the checksum still covers them. */
    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    private void overrun() throws IOException {
      if (count > expected.size()) {
        throw new IOException(
            "snapshot file "
                + expected.file()
                + " is longer than the "
                + expected.size()
                + " bytes its manifest records");
      }
    }

    private void verify() throws IOException {
      if (verified) {
        return;
      }
      if (count != expected.size()) {
        throw new IOException(
            "snapshot file "
                + expected.file()
                + " holds "
                + count
                + " bytes, its manifest records "
                + expected.size());
      }
      if ((int) crc.getValue() != expected.crc32c()) {
        throw new IOException(
            String.format(
                "snapshot file %s fails its checksum (manifest %08x, computed %08x)",
                expected.file(), expected.crc32c(), (int) crc.getValue()));
      }
      verified = true;
    }
  }
}
