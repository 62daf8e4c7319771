package dev.faultline.workloads;

import dev.faultline.workloads.client.ClientFactory;
import dev.faultline.workloads.client.Completion;
import dev.faultline.workloads.client.KvPort;
import dev.faultline.workloads.client.PortClient;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * An in-memory linearizable map behind {@link KvPort}s: every operation takes effect atomically
 * under one lock. It can be told to fail ops (without effect), to time them out (with or without
 * effect, decided by a seeded coin), to serve stale reads from an older version of a key, or to
 * drop acknowledged writes.
 */
public final class FakeStore {
  private final Map<String, Deque<String>> versions = new HashMap<>();
  private final Random random;
  private double failRate;
  private double timeoutRate;
  private double staleReadRate;
  private double dropWriteRate;

  public FakeStore(long seed) {
    this.random = new Random(seed);
  }

  public FakeStore failing(double rate) {
    failRate = rate;
    return this;
  }

  public FakeStore timingOut(double rate) {
    timeoutRate = rate;
    return this;
  }

  public FakeStore servingStaleReads(double rate) {
    staleReadRate = rate;
    return this;
  }

  public FakeStore droppingWrites(double rate) {
    dropWriteRate = rate;
    return this;
  }

  public ClientFactory clients() {
    return process -> new PortClient(port("n" + Math.floorMod(process, 3)));
  }

  public KvPort port(String node) {
    return new KvPort() {
      @Override
      public Completion get(String key) {
        synchronized (FakeStore.this) {
          if (random.nextDouble() < failRate) {
            return Completion.fail("no-leader", node);
          }
          Deque<String> v = versions.get(key);
          if (v == null) {
            return Completion.ok(null, node);
          }
          if (v.size() > 1 && random.nextDouble() < staleReadRate) {
            return Completion.ok(
                v.stream().skip(1 + random.nextInt(v.size() - 1)).findFirst().get(), node);
          }
          return Completion.ok(v.peekFirst(), node);
        }
      }

      @Override
      public Completion put(String key, String value) {
        synchronized (FakeStore.this) {
          return mutate(node, () -> apply(key, value));
        }
      }

      @Override
      public Completion delete(String key) {
        synchronized (FakeStore.this) {
          return mutate(node, () -> versions.remove(key));
        }
      }

      @Override
      public Completion cas(String key, String expected, String value) {
        synchronized (FakeStore.this) {
          Deque<String> v = versions.get(key);
          String current = v == null ? null : v.peekFirst();
          if (!Objects.equals(current, expected)) {
            return Completion.fail(CAS_MISMATCH, node);
          }
          return mutate(node, () -> apply(key, value));
        }
      }
    };
  }

  private Completion mutate(String node, Runnable effect) {
    if (random.nextDouble() < failRate) {
      return Completion.fail("no-leader", node);
    }
    if (random.nextDouble() < timeoutRate) {
      if (random.nextBoolean()) {
        effect.run();
      }
      return Completion.info("timeout", node);
    }
    if (random.nextDouble() >= dropWriteRate) {
      effect.run();
    }
    return Completion.ok(null, node);
  }

  private void apply(String key, String value) {
    Deque<String> v = versions.computeIfAbsent(key, k -> new ArrayDeque<>());
    v.addFirst(value);
    if (v.size() > 8) {
      v.removeLast();
    }
  }

  /** The current value of a key, or null. */
  public synchronized String current(String key) {
    Deque<String> v = versions.get(key);
    return v == null ? null : v.peekFirst();
  }
}
