package dev.faultline.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The last request applied for each client, so a retried command is applied at most once and
 * answered with its original result (Raft dissertation §6.3). Bounded: the least recently used
 * client is dropped first. Touched only by the applying thread, in log order, so every replica
 * evicts the same clients.
 */
final class SessionTable {

  /** A client's last applied request and its answer. */
  record Session(long seq, KvResult result) {}

  private final int capacity;
  private final LinkedHashMap<Long, Session> byClient;

  SessionTable(int capacity) {
    this.capacity = capacity;
    this.byClient =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Session> eldest) {
            return size() > SessionTable.this.capacity;
          }
        };
  }

  /** The client's last request, or null; counts as a use for the eviction order. */
  Session find(long clientId) {
    return byClient.get(clientId);
  }

  void record(long clientId, long seq, KvResult result) {
    byClient.put(clientId, new Session(seq, result));
  }

  int size() {
    return byClient.size();
  }

  void clear() {
    byClient.clear();
  }

  /** Visits sessions from least to most recently used, the order a restore must re-insert. */
  void forEach(BiConsumer<Long, Session> visitor) {
    byClient.forEach(visitor);
  }
}
