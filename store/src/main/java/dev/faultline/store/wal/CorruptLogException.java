package dev.faultline.store.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The log on disk is damaged somewhere other than a torn tail, so committed entries may be missing:
 * recovery refuses to go on rather than drop them or apply garbage. The message names the segment
 * file and byte offset (or the log directory, when whole segments are missing) and says what to do.
 */
public final class CorruptLogException extends IOException {
  private final Path segment;
  private final long offset;

  public CorruptLogException(Path segment, long offset, String problem) {
    super(
        "WAL segment "
            + segment
            + " is corrupt at offset "
            + offset
            + ": "
            + problem
            + "; "
            + REMEDY);
    this.segment = segment;
    this.offset = offset;
  }

  /** The log as a whole holds less than the node durably recorded (not one damaged record). */
  public CorruptLogException(Path walDir, String problem) {
    super("log in " + walDir + " is incomplete: " + problem + "; " + REMEDY);
    this.segment = walDir;
    this.offset = -1;
  }

  /**
   * What to do when the node's durable state is damaged: rejoining with less than it acknowledged
   * (an emptied or older data directory) is unsafe in Raft, so the node is replaced.
   */
  public static final String REMEDY =
      "committed entries may be lost, so the node will not start: do not delete the data"
          + " directory or restore an older copy (a node that forgets what it acknowledged or voted"
          + " can lose committed writes): see docs/CLUSTER.md, 'Replacing a node that lost its"
          + " data'";

  public Path segment() {
    return segment;
  }

  public long offset() {
    return offset;
  }
}
