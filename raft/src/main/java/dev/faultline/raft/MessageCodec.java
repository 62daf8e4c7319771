package dev.faultline.raft;

import dev.faultline.raft.Message.AppendEntries;
import dev.faultline.raft.Message.AppendResponse;
import dev.faultline.raft.Message.Heartbeat;
import dev.faultline.raft.Message.HeartbeatResponse;
import dev.faultline.raft.Message.InstallSnapshot;
import dev.faultline.raft.Message.PreVote;
import dev.faultline.raft.Message.PreVoteResponse;
import dev.faultline.raft.Message.RequestVote;
import dev.faultline.raft.Message.RequestVoteResponse;
import dev.faultline.raft.Message.SnapshotResponse;
import dev.faultline.raft.Message.TimeoutNow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Encodes every {@link Message} to a compact binary form and back, for a {@link Transport}. Layout:
 * a version byte, a kind byte, from, to, term, then the kind's fields in declaration order.
 */
public final class MessageCodec {
  private static final int VERSION = 1;
  private static final int MAX_BLOB = 1 << 30;

  private MessageCodec() {}

  public static byte[] encode(Message m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeByte(kind(m));
      out.writeUTF(m.from());
      out.writeUTF(m.to());
      out.writeLong(m.term());
      if (m instanceof PreVote v) {
        out.writeLong(v.lastIndex());
        out.writeLong(v.lastTerm());
      } else if (m instanceof PreVoteResponse r) {
        out.writeBoolean(r.granted());
      } else if (m instanceof RequestVote v) {
        out.writeLong(v.lastIndex());
        out.writeLong(v.lastTerm());
        out.writeBoolean(v.transfer());
      } else if (m instanceof RequestVoteResponse r) {
        out.writeBoolean(r.granted());
      } else if (m instanceof AppendEntries a) {
        out.writeLong(a.prevIndex());
        out.writeLong(a.prevTerm());
        out.writeLong(a.commit());
        out.writeInt(a.entries().size());
        for (Entry e : a.entries()) {
          out.writeLong(e.index());
          out.writeLong(e.term());
          out.writeByte(e.type().ordinal());
          writeBlob(out, e.data());
        }
      } else if (m instanceof AppendResponse r) {
        out.writeBoolean(r.success());
        out.writeLong(r.index());
        out.writeLong(r.hintIndex());
        out.writeLong(r.hintTerm());
      } else if (m instanceof Heartbeat h) {
        out.writeLong(h.commit());
        out.writeLong(h.readSeq());
      } else if (m instanceof HeartbeatResponse r) {
        out.writeLong(r.readSeq());
      } else if (m instanceof InstallSnapshot s) {
        writeMeta(out, s.meta());
        out.writeLong(s.offset());
        writeBlob(out, s.chunk());
        out.writeBoolean(s.done());
      } else if (m instanceof SnapshotResponse r) {
        out.writeLong(r.snapshotIndex());
        out.writeLong(r.nextOffset());
      } else if (m instanceof TimeoutNow) {
        // no fields beyond the header
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Decodes a message; throws {@link IllegalArgumentException} naming the problem and offset. */
  public static Message decode(byte[] data) {
    ByteArrayInputStream bytes = new ByteArrayInputStream(data);
    DataInputStream in = new DataInputStream(bytes);
    try {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "raft message has version " + version + ", expected " + VERSION);
      }
      int kind = in.readUnsignedByte();
      String from = in.readUTF();
      String to = in.readUTF();
      long term = in.readLong();
      Message m =
          switch (kind) {
            case 1 -> new PreVote(from, to, term, in.readLong(), in.readLong());
            case 2 -> new PreVoteResponse(from, to, term, in.readBoolean());
            case 3 ->
                new RequestVote(from, to, term, in.readLong(), in.readLong(), in.readBoolean());
            case 4 -> new RequestVoteResponse(from, to, term, in.readBoolean());
            case 5 -> readAppend(in, from, to, term);
            case 6 ->
                new AppendResponse(
                    from, to, term, in.readBoolean(), in.readLong(), in.readLong(), in.readLong());
            case 7 -> new Heartbeat(from, to, term, in.readLong(), in.readLong());
            case 8 -> new HeartbeatResponse(from, to, term, in.readLong());
            case 9 ->
                new InstallSnapshot(
                    from, to, term, readMeta(in), in.readLong(), readBlob(in), in.readBoolean());
            case 10 -> new SnapshotResponse(from, to, term, in.readLong(), in.readLong());
            case 11 -> new TimeoutNow(from, to, term);
            default -> throw new IllegalArgumentException("unknown raft message kind " + kind);
          };
      if (bytes.available() != 0) {
        throw new IllegalArgumentException(
            bytes.available() + " trailing bytes after a " + m.getClass().getSimpleName());
      }
      return m;
    } catch (EOFException e) {
      throw new IllegalArgumentException(
          "raft message is truncated at byte " + (data.length - bytes.available()), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "raft message is malformed at byte "
              + (data.length - bytes.available())
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static int kind(Message m) {
    if (m instanceof PreVote) {
      return 1;
    } else if (m instanceof PreVoteResponse) {
      return 2;
    } else if (m instanceof RequestVote) {
      return 3;
    } else if (m instanceof RequestVoteResponse) {
      return 4;
    } else if (m instanceof AppendEntries) {
      return 5;
    } else if (m instanceof AppendResponse) {
      return 6;
    } else if (m instanceof Heartbeat) {
      return 7;
    } else if (m instanceof HeartbeatResponse) {
      return 8;
    } else if (m instanceof InstallSnapshot) {
      return 9;
    } else if (m instanceof SnapshotResponse) {
      return 10;
    } else {
      return 11;
    }
  }

  private static AppendEntries readAppend(DataInputStream in, String from, String to, long term)
      throws IOException {
    long prevIndex = in.readLong();
    long prevTerm = in.readLong();
    long commit = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > MAX_BLOB) {
      throw new IllegalArgumentException("AppendEntries claims " + n + " entries");
    }
    List<Entry> entries = new ArrayList<>(Math.min(n, 1024));
    Entry.Type[] types = Entry.Type.values();
    for (int i = 0; i < n; i++) {
      long index = in.readLong();
      long entryTerm = in.readLong();
      int type = in.readUnsignedByte();
      if (type >= types.length) {
        throw new IllegalArgumentException("entry " + index + " has unknown type " + type);
      }
      entries.add(new Entry(index, entryTerm, types[type], readBlob(in)));
    }
    return new AppendEntries(from, to, term, prevIndex, prevTerm, entries, commit);
  }

  private static void writeBlob(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBlob(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_BLOB) {
      throw new IllegalArgumentException("blob length " + n + " is out of range");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static void writeMeta(DataOutputStream out, SnapshotMeta meta) throws IOException {
    out.writeLong(meta.index());
    out.writeLong(meta.term());
    writeIds(out, meta.voters());
    writeIds(out, meta.learners());
  }

  private static SnapshotMeta readMeta(DataInputStream in) throws IOException {
    long index = in.readLong();
    long term = in.readLong();
    return new SnapshotMeta(index, term, readIds(in), readIds(in));
  }

  private static void writeIds(DataOutputStream out, Set<String> ids) throws IOException {
    out.writeInt(ids.size());
    for (String id : new TreeSet<>(ids)) {
      out.writeUTF(id);
    }
  }

  private static Set<String> readIds(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 10_000) {
      throw new IllegalArgumentException("member count " + n + " is out of range");
    }
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      ids.add(in.readUTF());
    }
    return ids;
  }
}
