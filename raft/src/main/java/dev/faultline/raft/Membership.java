package dev.faultline.raft;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A cluster configuration: who votes and who only replicates. The two sets are disjoint; the voters
 * decide elections and commitment, learners catch up before they are promoted.
 */
public record Membership(SortedSet<String> voters, SortedSet<String> learners) {

  public Membership {
    voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
    learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
    for (String l : learners) {
      if (voters.contains(l)) {
        throw new IllegalArgumentException(l + " cannot be both a voter and a learner");
      }
    }
  }

  public static Membership of(Set<String> voters, Set<String> learners) {
    return new Membership(new TreeSet<>(voters), new TreeSet<>(learners));
  }

  public boolean contains(String id) {
    return voters.contains(id) || learners.contains(id);
  }

  /** The configuration as a {@link Entry.Type#CONFIG} entry's payload. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(voters.size());
      for (String v : voters) {
        out.writeUTF(v);
      }
      out.writeInt(learners.size());
      for (String l : learners) {
        out.writeUTF(l);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes a {@link #encode()}d configuration; throws naming the entry when malformed. */
  public static Membership decode(byte[] data, long index) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      TreeSet<String> voters = new TreeSet<>();
      for (int n = in.readInt(); n > 0; n--) {
        voters.add(in.readUTF());
      }
      TreeSet<String> learners = new TreeSet<>();
      for (int n = in.readInt(); n > 0; n--) {
        learners.add(in.readUTF());
      }
      return new Membership(voters, learners);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "configuration entry at index " + index + " is malformed: " + e.getMessage(), e);
    }
  }

  SnapshotMeta snapshotMeta(long index, long term) {
    return new SnapshotMeta(index, term, voters, learners);
  }

  static Membership of(SnapshotMeta meta) {
    return of(meta.voters(), meta.learners());
  }
}
