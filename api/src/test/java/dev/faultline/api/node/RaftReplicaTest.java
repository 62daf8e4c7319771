package dev.faultline.api.node;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.api.Session;
import dev.faultline.raft.MemoryLogStorage;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.Role;
import dev.faultline.raft.Transport;
import dev.faultline.raft.runtime.MemorySnapshotStore;
import dev.faultline.raft.runtime.NodeOptions;
import dev.faultline.raft.runtime.RaftNode;
import dev.faultline.store.KvQuery;
import dev.faultline.store.KvStateMachine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RaftReplicaTest {

  /** A one-node cluster needs no peers: nothing is ever sent. */
  private static final Transport NO_PEERS =
      new Transport() {
        @Override
        public void start(BiConsumer<String, byte[]> receiver) {}

        @Override
        public void send(String to, byte[] message) {}

        @Override
        public void close() {}
      };

  private final RaftNode node =
      new RaftNode(
          RaftConfig.of("n1", Set.of("n1")),
          new NodeOptions(10, 1_000, 256),
          new MemoryLogStorage(),
          new MemorySnapshotStore(),
          new KvStateMachine(),
          NO_PEERS);
  private final ExecutorService pool = RaftReplica.replyPool("test-replies");

  @AfterEach
  void stop() {
    node.close();
    pool.shutdownNow();
  }

  /** Counts the tasks it is given and runs them on the pool. */
  private static final class Counting implements Executor {
    final AtomicInteger tasks = new AtomicInteger();
    final Executor next;

    Counting(Executor next) {
      this.next = next;
    }

    @Override
    public void execute(Runnable r) {
      tasks.incrementAndGet();
      next.execute(r);
    }
  }

  @Test
  void aReadContinuesOnTheExecutorItNamesInsteadOfTheReplyPool() throws Exception {
    node.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> node.status().role() == Role.LEADER);
    Counting replies = new Counting(pool);
    Counting network = new Counting(pool);
    RaftReplica replica = new RaftReplica(node, List.of("n1"), replies);
    byte[] query = new KvQuery("k".getBytes(StandardCharsets.UTF_8)).encode();

    replica.read(query, network).get(20, TimeUnit.SECONDS);
    assertThat(network.tasks).hasValue(1);
    assertThat(replies.tasks).as("no second hand-off through the reply pool").hasValue(0);

    replica.read(query).get(20, TimeUnit.SECONDS);
    assertThat(replies.tasks)
        .as("without a hint, answers leave through the reply pool")
        .hasValue(1);
    assertThat(network.tasks).hasValue(1);
  }

  @Test
  void aWriteContinuesOnTheExecutorItNamesInsteadOfTheReplyPool() throws Exception {
    node.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> node.status().role() == Role.LEADER);
    Counting replies = new Counting(pool);
    Counting network = new Counting(pool);
    java.util.List<Boolean> handoffs = new java.util.concurrent.CopyOnWriteArrayList<>();
    RaftReplica replica =
        new RaftReplica(
            node,
            () -> List.of("n1"),
            replies,
            (read, toCaller, nanos) -> {
              assertThat(read).as("every answer here is a write's").isFalse();
              assertThat(nanos).isNotNegative();
              handoffs.add(toCaller);
            });
    ReplicatedBackend backend = new ReplicatedBackend(replica, id -> Optional.empty());
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);

    backend.put(key, "v".getBytes(StandardCharsets.UTF_8), Session.NONE, network).get(20, SECONDS);
    backend
        .cas(
            key,
            "v".getBytes(StandardCharsets.UTF_8),
            "w".getBytes(StandardCharsets.UTF_8),
            Session.NONE,
            network)
        .get(20, SECONDS);
    backend.delete(key, Session.NONE, network).get(20, SECONDS);
    assertThat(network.tasks).hasValue(3);
    assertThat(replies.tasks).as("no second hand-off through the reply pool").hasValue(0);

    backend.put(key, "x".getBytes(StandardCharsets.UTF_8), Session.NONE).get(20, SECONDS);
    assertThat(replies.tasks)
        .as("without a hint, answers leave through the reply pool")
        .hasValue(1);
    assertThat(network.tasks).hasValue(3);
    assertThat(handoffs)
        .as("each answer's hand-off timed, by where it went")
        .containsExactly(true, true, true, false);
  }
}
