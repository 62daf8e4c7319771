package dev.faultline.api.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.api.config.NodeBug;
import dev.faultline.raft.MemoryLogStorage;
import dev.faultline.store.KvCommand;
import dev.faultline.store.KvQuery;
import dev.faultline.store.KvResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BuggyReplicaTest {

  private static final byte[] STALE = "old".getBytes(StandardCharsets.UTF_8);

  /** A leader that can no longer reach a majority: nothing it is asked ever completes. */
  static final class CutOffLeader implements Replica {
    final AtomicInteger reads = new AtomicInteger();
    final CompletableFuture<byte[]> proposal = new CompletableFuture<>();

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
      return proposal;
    }

    @Override
    public CompletableFuture<byte[]> read(byte[] query) {
      reads.incrementAndGet();
      return new CompletableFuture<>();
    }

    @Override
    public View view() {
      return new View("n1", "n1", 3, "leader", 10, 10, List.of("n1", "n2", "n3"), Map.of());
    }
  }

  private static byte[] query() {
    return new KvQuery("k".getBytes(StandardCharsets.UTF_8)).encode();
  }

  private static byte[] localValue(byte[] query) {
    return KvQuery.encodeResult(STALE);
  }

  @Test
  void correctLeaderCutOffFromMajorityDoesNotAnswerReads() {
    CutOffLeader inner = new CutOffLeader();
    Replica replica =
        new BuggyReplica(inner, Set.of(), () -> true, q -> localValue(q), null, Runnable::run);

    CompletableFuture<byte[]> read = replica.read(query());

    assertThat(inner.reads).hasValue(1);
    assertThat(read).isNotDone();
  }

  @Test
  void staleReadLeaderAnswersFromItsOwnStateWithoutReadIndex() throws Exception {
    CutOffLeader inner = new CutOffLeader();
    Replica replica =
        new BuggyReplica(
            inner, Set.of(NodeBug.STALE_READ), () -> true, q -> localValue(q), null, Runnable::run);

    byte[] answer = replica.read(query()).get(5, TimeUnit.SECONDS);

    assertThat(KvQuery.decodeResult(answer)).isEqualTo(STALE);
    assertThat(inner.reads).hasValue(0);
  }

  @Test
  void staleReadFollowerStillGoesThroughTheReplica() {
    CutOffLeader inner = new CutOffLeader();
    Replica replica =
        new BuggyReplica(
            inner,
            Set.of(NodeBug.STALE_READ),
            () -> false,
            q -> localValue(q),
            null,
            Runnable::run);

    replica.read(query());

    assertThat(inner.reads).hasValue(1);
  }

  @Test
  void ackBeforeCommitAcknowledgesAPutOnceItIsInTheLocalLogOnly() throws Exception {
    CutOffLeader inner = new CutOffLeader();
    LocalAppendAcks acks = new LocalAppendAcks(new MemoryLogStorage());
    Replica replica =
        new BuggyReplica(
            inner, Set.of(NodeBug.ACK_BEFORE_COMMIT), () -> true, q -> null, acks, Runnable::run);
    byte[] put = new KvCommand.Put(new byte[] {1}, new byte[] {2}, 0, 0).encode();

    CompletableFuture<byte[]> answer = replica.propose(put);
    assertThat(answer).isNotDone();
    acks.append(
        List.of(new dev.faultline.raft.Entry(1, 1, dev.faultline.raft.Entry.Type.COMMAND, put)));
    acks.sync();

    assertThat(KvResult.decode(answer.get(5, TimeUnit.SECONDS))).isInstanceOf(KvResult.Done.class);
    assertThat(inner.proposal).isNotDone();
  }

  @Test
  void ackBeforeCommitStillWaitsForACasResult() {
    CutOffLeader inner = new CutOffLeader();
    LocalAppendAcks acks = new LocalAppendAcks(new MemoryLogStorage());
    Replica replica =
        new BuggyReplica(
            inner, Set.of(NodeBug.ACK_BEFORE_COMMIT), () -> true, q -> null, acks, Runnable::run);
    byte[] cas = new KvCommand.Cas(new byte[] {1}, null, new byte[] {2}, 0, 0).encode();

    CompletableFuture<byte[]> answer = replica.propose(cas);
    acks.append(
        List.of(new dev.faultline.raft.Entry(1, 1, dev.faultline.raft.Entry.Type.COMMAND, cas)));
    acks.sync();

    assertThat(answer).isNotDone();
  }

  @Test
  void aFollowersCopyOfTheSameBytesIsNotAnAcknowledgement() {
    CutOffLeader inner = new CutOffLeader();
    LocalAppendAcks acks = new LocalAppendAcks(new MemoryLogStorage());
    Replica replica =
        new BuggyReplica(
            inner, Set.of(NodeBug.ACK_BEFORE_COMMIT), () -> true, q -> null, acks, Runnable::run);
    byte[] put = new KvCommand.Put(new byte[] {1}, new byte[] {2}, 0, 0).encode();

    CompletableFuture<byte[]> answer = replica.propose(put);
    acks.append(
        List.of(
            new dev.faultline.raft.Entry(
                1, 1, dev.faultline.raft.Entry.Type.COMMAND, put.clone())));
    acks.sync();

    assertThat(answer).isNotDone();
  }
}
