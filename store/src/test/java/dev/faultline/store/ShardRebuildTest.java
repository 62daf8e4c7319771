package dev.faultline.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ShardRebuildTest {

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  /** Keys that all land in shard {@code shard}. */
  private static List<byte[]> keysInShard(ShardedMap map, int shard, int n) {
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; keys.size() < n; i++) {
      byte[] k = b("key-" + i);
      if (map.shardOf(k) == shard) {
        keys.add(k);
      }
    }
    return keys;
  }

  @Test
  void aSparseShardIsRebuiltInTheBackgroundAndCountersMove() {
    StoreOptions options = StoreOptions.DEFAULT.withShards(2).withRebuildThreshold(0.25, 64);
    try (ShardedMap map = new ShardedMap(options)) {
      List<byte[]> keys = keysInShard(map, 0, 1000);
      for (byte[] k : keys) {
        map.put(k, b("v"));
      }
      for (byte[] k : keys.subList(0, 900)) {
        map.remove(k);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> map.stats().rebuildsCompleted() >= 1);
      StoreStats s = map.stats();
      assertThat(s.rebuildsStarted()).isGreaterThanOrEqualTo(s.rebuildsCompleted());
      assertThat(s.entriesMoved()).isPositive();
      assertThat(s.reclaimedBytesEstimate()).isPositive();
      assertThat(s.keys()).isEqualTo(100);
      for (byte[] k : keys.subList(900, 1000)) {
        assertThat(map.get(k)).isEqualTo(b("v"));
      }
    }
  }

  @Test
  void noWriteIsLostWhileManyThreadsWriteDuringRebuilds() throws Exception {
    StoreOptions options = StoreOptions.DEFAULT.withShards(4).withRebuildThreshold(0.5, 32);
    int writers = 4;
    int rounds = 40;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try (ShardedMap map = new ShardedMap(options)) {
      List<Map<String, byte[]>> expected = new ArrayList<>();
      List<Future<?>> futures = new ArrayList<>();
      AtomicBoolean writing = new AtomicBoolean(true);
      for (int w = 0; w < writers; w++) {
        Map<String, byte[]> mine = new ConcurrentHashMap<>();
        expected.add(mine);
        int id = w;
        futures.add(
            pool.submit(
                () -> {
                  Random rnd = new Random(id);
                  for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < 200; i++) {
                      String k = "w" + id + "-" + rnd.nextInt(400);
                      byte[] v = b(round + ":" + i);
                      map.put(b(k), v);
                      mine.put(k, v);
                    }
                    for (int i = 0; i < 180; i++) {
                      String k = "w" + id + "-" + rnd.nextInt(400);
                      map.remove(b(k));
                      mine.remove(k);
                    }
                  }
                  return null;
                }));
      }
      Future<?> rebuilder =
          pool.submit(
              () -> {
                for (int i = 0; i < 2000 && writing.get(); i++) {
                  map.rebuildNow(i % map.shardCount());
                }
                return null;
              });
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      rebuilder.get(60, TimeUnit.SECONDS);

      long total = 0;
      for (Map<String, byte[]> mine : expected) {
        total += mine.size();
        for (Map.Entry<String, byte[]> e : mine.entrySet()) {
          assertThat(map.get(b(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
      }
      assertThat(map.size()).isEqualTo(total);
      assertThat(map.stats().rebuildsCompleted()).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs a rebuild of shard 0 paused mid-copy, writes during the pause, and lets it finish. */
  private static void writeDuringPausedRebuild(ShardedMap map, Runnable writes) throws Exception {
    CountDownLatch paused = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    map.setRebuildProbe(
        shard -> {
          paused.countDown();
          try {
            if (!resume.await(30, TimeUnit.SECONDS)) {
              throw new IllegalStateException("test never resumed the rebuild");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
    var done = map.requestRebuild(0);
    assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
    writes.run();
    resume.countDown();
    assertThat(done.get(30, TimeUnit.SECONDS)).isTrue();
    map.setRebuildProbe(null);
  }

  @Test
  void writesDuringARebuildSurviveTheSwap() throws Exception {
    StoreOptions options = StoreOptions.DEFAULT.withShards(2).withAutoRebuild(false);
    try (ShardedMap map = new ShardedMap(options)) {
      List<byte[]> keys = keysInShard(map, 0, 102);
      for (byte[] k : keys.subList(0, 100)) {
        map.put(k, b("old"));
      }
      writeDuringPausedRebuild(
          map,
          () -> {
            map.put(keys.get(100), b("new"));
            map.put(keys.get(0), b("changed"));
            map.remove(keys.get(1));
            map.put(keys.get(101), b("gone"));
            map.remove(keys.get(101));
          });
      assertThat(map.get(keys.get(100))).isEqualTo(b("new"));
      assertThat(map.get(keys.get(0))).isEqualTo(b("changed"));
      assertThat(map.get(keys.get(1))).isNull();
      assertThat(map.get(keys.get(101))).isNull();
      assertThat(map.get(keys.get(2))).isEqualTo(b("old"));
      assertThat(map.size()).isEqualTo(100);
      assertThat(map.stats().rebuildsCompleted()).isEqualTo(1);
    }
  }

  @Test
  void aSnapshotTakenDuringARebuildSeesTheWritesMadeDuringIt() throws Exception {
    StoreOptions options = StoreOptions.DEFAULT.withShards(1).withAutoRebuild(false);
    try (KvStateMachine sm = new KvStateMachine(options);
        KvStateMachine copy = new KvStateMachine(options)) {
      for (int i = 1; i <= 50; i++) {
        sm.apply(i, new KvCommand.Put(b("k" + i), b("v" + i), 0, 0).encode());
      }
      java.io.ByteArrayOutputStream snapshot = new java.io.ByteArrayOutputStream();
      writeDuringPausedRebuild(
          sm.map(),
          () -> {
            sm.apply(51, new KvCommand.Put(b("k51"), b("new"), 0, 0).encode());
            sm.apply(52, new KvCommand.Delete(b("k1"), 0, 0).encode());
            try {
              sm.writeSnapshot(snapshot);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      copy.restoreSnapshot(52, new java.io.ByteArrayInputStream(snapshot.toByteArray()));
      assertThat(KvStateMachineTest.contents(copy)).isEqualTo(KvStateMachineTest.contents(sm));
      assertThat(copy.get(b("k51"))).isEqualTo(b("new"));
      assertThat(copy.get(b("k1"))).isNull();
    }
  }

  @Test
  void aRestoreDuringARebuildWinsOverTheRebuild() throws Exception {
    StoreOptions options = StoreOptions.DEFAULT.withShards(1).withAutoRebuild(false);
    try (ShardedMap map = new ShardedMap(options)) {
      for (int i = 0; i < 50; i++) {
        map.put(b("old" + i), b("v"));
      }
      CountDownLatch paused = new CountDownLatch(1);
      CountDownLatch resume = new CountDownLatch(1);
      map.setRebuildProbe(
          shard -> {
            paused.countDown();
            try {
              assertThat(resume.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      var done = map.requestRebuild(0);
      assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
      map.replaceAll(Map.of(Bytes.utf8("restored"), b("r")));
      resume.countDown();
      assertThat(done.get(30, TimeUnit.SECONDS)).isFalse();
      assertThat(map.size()).isEqualTo(1);
      assertThat(map.get(b("restored"))).isEqualTo(b("r"));
      assertThat(map.get(b("old1"))).isNull();
    }
  }

  @Test
  void withLostRebuildWritesOnWritesDuringARebuildAreLost() throws Exception {
    StoreOptions options =
        StoreOptions.DEFAULT.withShards(2).withAutoRebuild(false).withLostRebuildWrites(true);
    try (ShardedMap map = new ShardedMap(options)) {
      List<byte[]> keys = keysInShard(map, 0, 101);
      for (byte[] k : keys.subList(0, 100)) {
        map.put(k, b("old"));
      }
      writeDuringPausedRebuild(
          map,
          () -> {
            map.put(keys.get(100), b("new"));
            map.remove(keys.get(1));
            // Visible while the rebuild is still copying...
            assertThat(map.get(keys.get(100))).isEqualTo(b("new"));
          });
      // ...and gone after the swap, as the ancestor lost them.
      assertThat(map.get(keys.get(100))).isNull();
      assertThat(map.get(keys.get(1))).isEqualTo(b("old"));
      assertThat(map.size()).isEqualTo(100);
    }
  }

  @Test
  void withLostRebuildWritesOnADeleteHeavyWorkloadRebuildsOften() {
    StoreOptions options = StoreOptions.DEFAULT.withShards(4).withLostRebuildWrites(true);
    try (ShardedMap map = new ShardedMap(options)) {
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 100; i++) {
          map.put(b("k" + i), b("v"));
        }
        for (int i = 0; i < 90; i++) {
          map.remove(b("k" + i));
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> map.stats().rebuildsCompleted() >= 4);
    }
  }

  /** An executor that only queues; the test runs each task when it chooses. */
  private static final class StepExecutor implements java.util.concurrent.Executor {
    final java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runNext() {
      tasks.poll().run();
    }
  }

  /** Fills shard 0, then deletes until a rebuild is queued; returns the survivors' keys. */
  private static List<byte[]> makeSparse(ShardedMap map, StepExecutor ex) {
    List<byte[]> keys = keysInShard(map, 0, 200);
    for (byte[] k : keys) {
      map.put(k, b("v"));
    }
    int i = 0;
    while (ex.tasks.isEmpty()) {
      map.remove(keys.get(i++));
    }
    return keys.subList(i, keys.size());
  }

  @Test
  void aGivenExecutorRunsTheRebuildAsFreezeThenSwapAndAWriteBetweenSurvives() {
    StoreOptions options = StoreOptions.DEFAULT.withShards(2).withRebuildThreshold(0.5, 16);
    StepExecutor ex = new StepExecutor();
    try (ShardedMap map = new ShardedMap(options, ex)) {
      List<byte[]> live = makeSparse(map, ex);
      ex.runNext(); // freeze: queues the copy-and-swap
      assertThat(ex.tasks).hasSize(1);
      assertThat(map.stats().rebuildsStarted()).isEqualTo(1);
      byte[] late = keysInShard(map, 0, 201).get(200);
      map.put(late, b("between"));
      map.remove(live.get(0));
      ex.runNext(); // copy and swap
      assertThat(ex.tasks).isEmpty();
      assertThat(map.stats().rebuildsCompleted()).isEqualTo(1);
      assertThat(map.get(late)).isEqualTo(b("between"));
      assertThat(map.get(live.get(0))).isNull();
      assertThat(map.size()).isEqualTo(live.size());
    }
  }

  @Test
  void withLostRebuildWritesOnAGivenExecutorLosesTheWriteBetweenFreezeAndSwap() {
    StoreOptions options =
        StoreOptions.DEFAULT
            .withShards(2)
            .withRebuildThreshold(0.5, 16)
            .withLostRebuildWrites(true);
    StepExecutor ex = new StepExecutor();
    try (ShardedMap map = new ShardedMap(options, ex)) {
      List<byte[]> live = makeSparse(map, ex);
      ex.runNext();
      byte[] late = keysInShard(map, 0, 201).get(200);
      map.put(late, b("between"));
      assertThat(map.get(late)).isEqualTo(b("between"));
      ex.runNext();
      assertThat(map.get(late)).isNull();
      assertThat(map.size()).isEqualTo(live.size());
    }
  }

  @Test
  void requestRebuildOnAGivenExecutorCompletesAfterBothTasks() {
    StoreOptions options = StoreOptions.DEFAULT.withShards(2).withAutoRebuild(false);
    StepExecutor ex = new StepExecutor();
    try (ShardedMap map = new ShardedMap(options, ex)) {
      map.put(keysInShard(map, 0, 1).get(0), b("v"));
      var done = map.requestRebuild(0);
      ex.runNext();
      assertThat(done).isNotDone();
      ex.runNext();
      assertThat(done).isCompletedWithValue(true);
      assertThat(map.size()).isEqualTo(1);
    }
  }
}
