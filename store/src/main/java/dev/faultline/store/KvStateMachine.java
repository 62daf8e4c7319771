package dev.faultline.store;

import dev.faultline.raft.StateMachine;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated key-value store: applies {@link KvCommand}s in log order to a {@link ShardedMap},
 * answers {@link KvQuery}s, and keeps client sessions so a retried command is applied at most once.
 * Deterministic: replicas that apply the same log hold the same map and the same sessions.
 *
 * <p>{@link #apply} and the snapshot methods run on one thread (the runtime's apply thread); {@link
 * #query} may run on any thread.
 */
public final class KvStateMachine implements StateMachine, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KvStateMachine.class);

  /** "FLKV": the first four bytes of a snapshot stream. */
  static final int SNAPSHOT_MAGIC = 0x464C4B56;

  static final int SNAPSHOT_VERSION = 1;

  /** Lengths in a snapshot beyond this are corruption, refused before allocating. */
  private static final int MAX_SNAPSHOT_FIELD = 1 << 28;

  private final StoreOptions options;
  private final ShardedMap map;
  private final SessionTable sessions;
  private volatile long appliedIndex;

  public KvStateMachine() {
    this(StoreOptions.DEFAULT);
  }

  public KvStateMachine(StoreOptions options) {
    this(options, null);
  }

  /** A state machine whose map runs shard rebuilds on {@code rebuilds} (null: its own thread). */
  public KvStateMachine(StoreOptions options, java.util.concurrent.Executor rebuilds) {
    this.options = options;
    this.map = new ShardedMap(options, rebuilds);
    this.sessions = new SessionTable(options.maxSessions());
  }

  /**
   * Applies the encoded command at {@code index}. An index at or below {@link #appliedIndex()} was
   * applied already and is ignored (returns null). Empty bytes (a leader's no-op entry) only
   * advance the index and return empty bytes; other bytes that are not a command are answered with
   * {@link KvResult.Rejected} on every replica alike.
   */
  @Override
  public byte[] apply(long index, byte[] command) {
    if (index <= appliedIndex) {
      return null;
    }
    if (command == null || command.length == 0) {
      appliedIndex = index;
      return new byte[0];
    }
    KvCommand decoded;
    try {
      decoded = KvCommand.decode(command);
    } catch (CommandFormatException e) {
      log.warn("log entry {} is not a KvCommand and is skipped: {}", index, e.getMessage());
      appliedIndex = index;
      return new KvResult.Rejected("entry " + index + ": " + e.getMessage()).encode();
    }
    return applyOwned(index, decoded).encode();
  }

  /**
   * Applies {@code command} at {@code index}; returns null (and changes nothing) when the index is
   * not above {@link #appliedIndex()}. The command's arrays are copied, never kept.
   */
  public KvResult apply(long index, KvCommand command) {
    return applyOwned(index, KvCommand.decode(command.encode()));
  }

  /** Applies a command whose arrays nobody else holds, so the map may keep them. */
  private KvResult applyOwned(long index, KvCommand command) {
    if (index <= appliedIndex) {
      return null;
    }
    long client = command.clientId();
    if (client != 0) {
      SessionTable.Session last = sessions.find(client);
      if (last != null && command.seq() <= last.seq()) {
        appliedIndex = index;
        if (command.seq() == last.seq()) {
          return last.result();
        }
        return new KvResult.Rejected(
            "stale request: client "
                + client
                + " seq "
                + command.seq()
                + " is older than its last applied seq "
                + last.seq()
                + "; retry with a new seq");
      }
    }
    KvResult result = execute(command);
    if (client != 0) {
      sessions.record(client, command.seq(), result);
    }
    appliedIndex = index;
    return result;
  }

  private KvResult execute(KvCommand command) {
    StoreLimits limits = options.limits();
    try {
      limits.checkKey(command.key());
      Bytes key = Bytes.wrap(command.key());
      if (command instanceof KvCommand.Put p) {
        limits.checkValue(p.value());
        return new KvResult.Done(map.putOwned(key, p.value()));
      }
      if (command instanceof KvCommand.Delete) {
        return new KvResult.Done(map.removeOwned(key));
      }
      KvCommand.Cas c = (KvCommand.Cas) command;
      limits.checkValue(c.value());
      ShardedMap.CasOutcome o = map.casOwned(key, c.expected(), c.value());
      // A mismatch reports the value the map still holds: hand out a copy, never the original.
      return o.swapped()
          ? new KvResult.Done(o.previous())
          : new KvResult.CasMismatch(o.previous() == null ? null : o.previous().clone());
    } catch (StoreLimitException e) {
      return new KvResult.Rejected(e.getMessage());
    }
  }

  /** Answers an encoded {@link KvQuery} with {@link KvQuery#encodeResult(byte[])}. */
  @Override
  public byte[] query(byte[] query) {
    KvQuery q = KvQuery.decode(query);
    return KvQuery.encodeResult(get(q.key()));
  }

  /** The value of {@code key} (shared with the map: do not modify), or null when absent. */
  public byte[] get(byte[] key) {
    return key.length == 0 ? null : map.getShared(Bytes.wrap(key));
  }

  @Override
  public long appliedIndex() {
    return appliedIndex;
  }

  /** The map this machine applies to; for stats and tests. */
  public ShardedMap map() {
    return map;
  }

  public StoreStats stats() {
    return map.stats();
  }

  public int sessionCount() {
    return sessions.size();
  }

  /**
   * Writes the state as of {@link #appliedIndex()}: magic, version, applied index, sessions (least
   * recently used first), entries, entry count, then a CRC32C of everything before it. Must not run
   * concurrently with {@link #apply}.
   */
  @Override
  public void writeSnapshot(OutputStream out) throws IOException {
    CRC32C crc = new CRC32C();
    BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
    DataOutputStream data = new DataOutputStream(new CheckedOutputStream(buffered, crc));
    data.writeInt(SNAPSHOT_MAGIC);
    data.writeByte(SNAPSHOT_VERSION);
    data.writeLong(appliedIndex);
    data.writeInt(sessions.size());
    IOException[] failure = new IOException[1];
    sessions.forEach(
        (client, s) -> {
          try {
            data.writeLong(client);
            data.writeLong(s.seq());
            writeBytes(data, s.result().encode());
          } catch (IOException e) {
            failure[0] = e;
          }
        });
    if (failure[0] != null) {
      throw failure[0];
    }
    long count = 0;
    for (int shard = 0; shard < map.shardCount(); shard++) {
      for (Map.Entry<Bytes, byte[]> e : map.entriesOf(shard)) {
        data.writeByte(1);
        writeBytes(data, e.getKey().array());
        writeBytes(data, e.getValue());
        count++;
      }
    }
    data.writeByte(0);
    data.writeLong(count);
    data.flush();
    new DataOutputStream(buffered).writeInt((int) crc.getValue());
    buffered.flush();
  }

  /**
   * Replaces the whole state with the snapshot in {@code in}, taken at {@code index}. The stream is
   * read to its end and checked before anything is replaced; on any error the state is left as it
   * was.
   */
  @Override
  public void restoreSnapshot(long index, InputStream in) throws IOException {
    CRC32C crc = new CRC32C();
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    DataInputStream data = new DataInputStream(new CheckedInputStream(buffered, crc));
    try {
      int magic = data.readInt();
      if (magic != SNAPSHOT_MAGIC) {
        throw corrupt("it does not start with the KvStateMachine snapshot magic");
      }
      int version = data.readUnsignedByte();
      if (version != SNAPSHOT_VERSION) {
        throw corrupt("unknown snapshot version " + version);
      }
      long at = data.readLong();
      if (at != index) {
        throw new IOException(
            "snapshot holds the state at index " + at + " but was restored as index " + index);
      }
      int sessionCount = data.readInt();
      if (sessionCount < 0) {
        throw corrupt("negative session count " + sessionCount);
      }
      // Grown as read, not sized by the count: a damaged count must not allocate gigabytes.
      List<Long> clients = new ArrayList<>();
      List<SessionTable.Session> restored = new ArrayList<>();
      for (int i = 0; i < sessionCount; i++) {
        long client = data.readLong();
        long seq = data.readLong();
        byte[] result = readBytes(data, "session result");
        try {
          restored.add(new SessionTable.Session(seq, KvResult.decode(result)));
        } catch (CommandFormatException e) {
          throw corrupt("session of client " + client + ": " + e.getMessage());
        }
        clients.add(client);
      }
      Map<Bytes, byte[]> content = new HashMap<>();
      long count = 0;
      for (int marker = data.readUnsignedByte(); marker != 0; marker = data.readUnsignedByte()) {
        if (marker != 1) {
          throw corrupt("bad entry marker " + marker + " after " + count + " entries");
        }
        content.put(Bytes.wrap(readBytes(data, "key")), readBytes(data, "value"));
        count++;
      }
      long declared = data.readLong();
      if (declared != count) {
        throw corrupt("it declares " + declared + " entries but holds " + count);
      }
      int expectedCrc = (int) crc.getValue();
      int storedCrc = new DataInputStream(buffered).readInt();
      if (storedCrc != expectedCrc) {
        throw corrupt(
            String.format(
                "checksum mismatch (stored %08x, computed %08x)", storedCrc, expectedCrc));
      }
      if (buffered.read() != -1) {
        throw corrupt("unexpected bytes after the checksum");
      }
      map.replaceAll(content);
      sessions.clear();
      for (int i = 0; i < sessionCount; i++) {
        sessions.record(clients.get(i), restored.get(i).seq(), restored.get(i).result());
      }
      appliedIndex = index;
    } catch (EOFException e) {
      throw corrupt("it ends early (truncated)");
    }
  }

  @Override
  public void close() {
    map.close();
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in, String field) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > MAX_SNAPSHOT_FIELD) {
      throw corrupt("impossible " + field + " length " + len);
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  private static IOException corrupt(String why) {
    return new IOException(
        "corrupt KvStateMachine snapshot: "
            + why
            + "; restore from another snapshot or the leader");
  }
}
