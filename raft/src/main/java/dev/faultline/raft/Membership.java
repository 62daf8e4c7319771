package dev.faultline.raft;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A cluster configuration: who votes and who only replicates. The two sets are disjoint; the voters
 * decide elections and commitment, learners catch up before they are promoted.
 *
 * <p>{@code addresses} holds the network address of members that joined through a membership change
 * ({@link MembershipChange.AddLearner} with an address), so every node that applies the entry can
 * reach them. The core never reads it: an address is opaque text for the runtime's transport. Only
 * members keep an address.
 */
public record Membership(
    SortedSet<String> voters, SortedSet<String> learners, SortedMap<String, String> addresses) {

  public Membership {
    voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
    learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
    for (String l : learners) {
      if (voters.contains(l)) {
        throw new IllegalArgumentException(l + " cannot be both a voter and a learner");
      }
    }
    TreeMap<String, String> kept = new TreeMap<>();
    for (Map.Entry<String, String> a : addresses.entrySet()) {
      if (voters.contains(a.getKey()) || learners.contains(a.getKey())) {
        kept.put(a.getKey(), a.getValue());
      }
    }
    addresses = Collections.unmodifiableSortedMap(kept);
  }

  /** A configuration that carries no addresses. */
  public Membership(SortedSet<String> voters, SortedSet<String> learners) {
    this(voters, learners, new TreeMap<>());
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
      // Appended after the sets, so entries written before addresses existed still decode.
      if (!addresses.isEmpty()) {
        out.writeInt(addresses.size());
        for (Map.Entry<String, String> a : addresses.entrySet()) {
          out.writeUTF(a.getKey());
          out.writeUTF(a.getValue());
        }
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
      TreeMap<String, String> addresses = new TreeMap<>();
      if (in.available() > 0) {
        for (int n = in.readInt(); n > 0; n--) {
          addresses.put(in.readUTF(), in.readUTF());
        }
      }
      if (in.available() > 0) {
        throw new IOException(in.available() + " trailing bytes");
      }
      return new Membership(voters, learners, addresses);
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
