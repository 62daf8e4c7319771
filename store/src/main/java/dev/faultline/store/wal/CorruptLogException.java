package dev.faultline.store.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The log on disk is damaged somewhere other than a torn tail, so committed entries may be missing:
 * recovery refuses to go on rather than drop them or apply garbage. The message names the segment
 * file and byte offset and says what to do.
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
            + "; committed entries may be lost, so the node will not start: restore the data"
            + " directory from a backup, or remove it and let the node rejoin and catch up from the"
            + " leader");
    this.segment = segment;
    this.offset = offset;
  }

  public Path segment() {
    return segment;
  }

  public long offset() {
    return offset;
  }
}
