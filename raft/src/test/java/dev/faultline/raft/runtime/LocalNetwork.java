package dev.faultline.raft.runtime;

import dev.faultline.raft.Transport;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** Transports between nodes of one process; a node can be cut off from everyone. */
final class LocalNetwork {
  private final Map<String, BiConsumer<String, byte[]>> receivers = new ConcurrentHashMap<>();
  private final Set<String> cut = ConcurrentHashMap.newKeySet();

  Transport transport(String self) {
    return new Transport() {
      @Override
      public void start(BiConsumer<String, byte[]> receiver) {
        receivers.put(self, receiver);
      }

      @Override
      public void send(String to, byte[] message) {
        BiConsumer<String, byte[]> r = receivers.get(to);
        if (r != null && !cut.contains(self) && !cut.contains(to)) {
          r.accept(self, message);
        }
      }

      @Override
      public void close() {
        receivers.remove(self);
      }
    };
  }

  void isolate(String id) {
    cut.add(id);
  }

  void heal() {
    cut.clear();
  }
}
