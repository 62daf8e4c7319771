package dev.faultline.store.wal;

import dev.faultline.raft.HardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The {@code hardstate} file: term, vote and commit, replaced atomically (write temp, fsync,
 * rename, fsync directory) so a crash leaves the old or the new state, never a mix. Layout,
 * big-endian: magic "FLHS", version byte 1, term u64, commit u64, vote length i32 (-1 = none), vote
 * UTF-8, then CRC32C of all preceding bytes.
 */
final class HardStateFile {
  static final String NAME = "hardstate";
  private static final int MAGIC = 0x464C4853;
  private static final int VERSION = 1;

  private HardStateFile() {}

  /** The stored hard state, or {@link HardState#EMPTY} when the file does not exist. */
  static HardState read(Path dataDir) throws IOException {
    Path file = dataDir.resolve(NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return HardState.EMPTY;
    }
    try {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      if (bytes.length < 29 || buf.getInt() != MAGIC || buf.get() != VERSION) {
        throw new IOException("not a version " + VERSION + " hard state file");
      }
      long term = buf.getLong();
      long commit = buf.getLong();
      int voteLen = buf.getInt();
      if (voteLen < -1 || voteLen > buf.remaining() - 4) {
        throw new IOException("impossible vote length " + voteLen);
      }
      String vote = null;
      if (voteLen >= 0) {
        vote = new String(bytes, buf.position(), voteLen, StandardCharsets.UTF_8);
        buf.position(buf.position() + voteLen);
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes, 0, buf.position());
      if (buf.remaining() != 4 || buf.getInt() != (int) crc.getValue()) {
        throw new IOException("checksum mismatch");
      }
      return new HardState(term, vote, commit);
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "hard state file "
              + file
              + " is corrupt ("
              + e.getMessage()
              + "); the node cannot know its term and vote, "
              + CorruptLogException.REMEDY,
          e);
    }
  }

  static void write(Path dataDir, HardState state) throws IOException {
    Fsync.replace(dataDir.resolve(NAME), encode(state));
  }

  /** Writes only the temp file, as a crash just before the rename would leave things (tests). */
  static void writeTempOnly(Path dataDir, HardState state) throws IOException {
    Fsync.writeTemp(dataDir.resolve(NAME), encode(state));
  }

  private static byte[] encode(HardState state) {
    byte[] vote =
        state.votedFor() == null ? null : state.votedFor().getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(29 + (vote == null ? 0 : vote.length));
    buf.putInt(MAGIC).put((byte) VERSION).putLong(state.term()).putLong(state.commit());
    if (vote == null) {
      buf.putInt(-1);
    } else {
      buf.putInt(vote.length).put(vote);
    }
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putInt((int) crc.getValue());
    return buf.array();
  }
}
