package dev.faultline.api.node;

import dev.faultline.raft.Entry;
import dev.faultline.raft.HardState;
import dev.faultline.raft.LogStorage;
import dev.faultline.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link LogStorage} that tells waiters when a given command is durable in this node's own log,
 * for the deliberate bug {@code ack-before-commit} only: the leader's proposal reaches storage as
 * the very array that was proposed, so commands are matched by identity (a follower's copies,
 * decoded from messages, never match). Everything else is delegated unchanged.
 */
final class LocalAppendAcks implements LogStorage {

  private final LogStorage inner;
  private final Map<byte[], CompletableFuture<Void>> waiting = new IdentityHashMap<>();
  private final List<CompletableFuture<Void>> appended = new ArrayList<>();

  LocalAppendAcks(LogStorage inner) {
    this.inner = inner;
  }

  /** Completes once {@code command} (this very array) is appended and synced here. */
  synchronized CompletableFuture<Void> awaitDurable(byte[] command) {
    return waiting.computeIfAbsent(command, c -> new CompletableFuture<>());
  }

  /** Stops waiting for {@code command} (it was refused, or its real answer came). */
  synchronized void forget(byte[] command) {
    waiting.remove(command);
  }

  @Override
  public void append(List<Entry> entries) {
    inner.append(entries);
    synchronized (this) {
      for (Entry e : entries) {
        CompletableFuture<Void> f = waiting.remove(e.data());
        if (f != null) {
          appended.add(f);
        }
      }
    }
  }

  @Override
  public void sync() {
    inner.sync();
    List<CompletableFuture<Void>> done;
    synchronized (this) {
      done = List.copyOf(appended);
      appended.clear();
    }
    done.forEach(f -> f.complete(null));
  }

  @Override
  public HardState hardState() {
    return inner.hardState();
  }

  @Override
  public void saveHardState(HardState state) {
    inner.saveHardState(state);
  }

  @Override
  public SnapshotMeta snapshot() {
    return inner.snapshot();
  }

  @Override
  public long firstIndex() {
    return inner.firstIndex();
  }

  @Override
  public long lastIndex() {
    return inner.lastIndex();
  }

  @Override
  public long term(long index) {
    return inner.term(index);
  }

  @Override
  public List<Entry> entries(long from, long to, long maxBytes) {
    return inner.entries(from, to, maxBytes);
  }

  @Override
  public void installSnapshot(SnapshotMeta meta) {
    inner.installSnapshot(meta);
  }

  @Override
  public void compact(long index) {
    inner.compact(index);
  }

  @Override
  public void close() {
    inner.close();
  }
}
