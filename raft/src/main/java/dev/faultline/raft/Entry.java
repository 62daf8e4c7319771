package dev.faultline.raft;

import java.util.Arrays;

/**
 * One log entry. {@code data} is opaque to Raft: a client command for {@link Type#COMMAND}, an
 * encoded configuration for {@link Type#CONFIG}, empty for the leader's {@link Type#NOOP}.
 */
public record Entry(long index, long term, Type type, byte[] data) {

  /** What an entry carries. */
  public enum Type {
    /** A state-machine command. */
    COMMAND,
    /** The empty entry a new leader appends to commit entries of earlier terms (§5.4.2, §8). */
    NOOP,
    /** A membership configuration. */
    CONFIG
  }

  public Entry {
    if (index < 1) {
      throw new IllegalArgumentException("entry index must be >= 1, was " + index);
    }
    if (term < 1) {
      throw new IllegalArgumentException("entry term must be >= 1, was " + term);
    }
    data = data == null ? new byte[0] : data;
  }

  /** Bytes this entry counts for in size-bounded batches. */
  public int sizeBytes() {
    return data.length + 24;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && e.index == index
        && e.term == term
        && e.type == type
        && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Long.hashCode(term) * 17 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Entry[" + index + "@" + term + " " + type + " " + data.length + "B]";
  }
}
