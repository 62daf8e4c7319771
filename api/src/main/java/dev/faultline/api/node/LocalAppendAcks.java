package dev.faultline.api.node;

import dev.faultline.raft.Entry;
import dev.faultline.raft.ForwardingLogStorage;
import dev.faultline.raft.LogStorage;
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
final class LocalAppendAcks extends ForwardingLogStorage {

  private final Map<byte[], CompletableFuture<Void>> waiting = new IdentityHashMap<>();
  private final List<CompletableFuture<Void>> appended = new ArrayList<>();

  LocalAppendAcks(LogStorage inner) {
    super(inner);
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
  public Runnable startSync() {
    Runnable work = inner.startSync();
    List<CompletableFuture<Void>> done;
    synchronized (this) {
      done = List.copyOf(appended);
      appended.clear();
    }
    return () -> {
      work.run();
      done.forEach(f -> f.complete(null));
    };
  }
}
