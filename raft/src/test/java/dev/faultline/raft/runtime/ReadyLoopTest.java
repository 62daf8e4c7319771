package dev.faultline.raft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.raft.MemoryLogStorage;
import dev.faultline.raft.Message;
import dev.faultline.raft.RaftConfig;
import dev.faultline.raft.RaftCore;
import dev.faultline.raft.Ready;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The ready loop driven by hand, as the simulator drives it: no thread, sync when told. */
class ReadyLoopTest {
  private final Map<String, ReadyLoop> loops = new LinkedHashMap<>();
  private final Map<String, MemoryLogStorage> storages = new LinkedHashMap<>();
  private final List<Message> wire = new ArrayList<>();

  private ReadyLoopTest cluster(String... ids) {
    Set<String> voters = Set.of(ids);
    for (String id : ids) {
      MemoryLogStorage storage = new MemoryLogStorage();
      RaftCore core =
          new RaftCore(
              RaftConfig.of(id, voters).withElectionSafety(false, false),
              storage,
              new SplittableRandom(3),
              null,
              0);
      storages.put(id, storage);
      loops.put(
          id,
          new ReadyLoop(
              core,
              storage,
              new MemorySnapshotStore(),
              new ListStateMachine(),
              wire::addAll,
              1_000,
              0,
              ReadyLoop.Observer.NONE));
    }
    return this;
  }

  /** Drains and settles every loop and delivers messages (except to {@code deaf}) until quiet. */
  private void stabilize(String... deaf) throws Exception {
    for (int round = 0; round < 1_000; round++) {
      boolean moved = false;
      for (ReadyLoop l : loops.values()) {
        moved |= l.core().hasReady();
        l.drain();
        l.settle();
      }
      List<Message> batch = new ArrayList<>(wire);
      wire.clear();
      for (Message m : batch) {
        if (!List.of(deaf).contains(m.to()) && !List.of(deaf).contains(m.from())) {
          loops.get(m.to()).core().step(m);
          moved = true;
        }
      }
      if (!moved) {
        return;
      }
    }
    throw new AssertionError("did not settle");
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aProposalCompletesWithTheMachinesResultOnceApplied() throws Exception {
    cluster("n1", "n2", "n3");
    loops.get("n1").core().campaign();
    stabilize();
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    loops.get("n1").propose(b("x"), f);
    assertThat(f).isNotDone();
    stabilize();
    assertThat(f).isCompleted();
    assertThat(f.get()).isEqualTo(b("ok1"));
    assertThat(loops.get("n1").applied()).isEqualTo(2);
    assertThat(loops.get("n1").pending()).isZero();
  }

  @Test
  void durableRepliesWaitForTheSyncThatPersistSeparates() throws Exception {
    cluster("n1", "n2", "n3");
    loops.get("n1").core().campaign();
    Ready rd = loops.get("n1").persist();
    assertThat(rd.needsSync()).isTrue();
    assertThat(wire).as("votes are requested only once the vote is durable").isEmpty();
    storages.get("n1").sync();
    loops.get("n1").release(rd);
    assertThat(wire).hasSize(2).allMatch(m -> m instanceof Message.RequestVote);
  }

  @Test
  void aProposalOnAFollowerFailsAsNotLeaderNamingTheLeader() throws Exception {
    cluster("n1", "n2", "n3");
    loops.get("n1").core().campaign();
    stabilize();
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    loops.get("n2").propose(b("x"), f);
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(NotLeaderException.class);
      assertThat(((NotLeaderException) e.getCause()).leader()).isEqualTo("n1");
    }
  }

  @Test
  void aStrandedProposalFailsAsUnknownWhenLeadershipIsLost() throws Exception {
    cluster("n1", "n2", "n3");
    loops.get("n1").core().campaign();
    stabilize();
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    loops.get("n1").propose(b("x"), f);
    stabilize("n1"); // n1 appends but no one hears it
    assertThat(f).isNotDone();
    loops.get("n2").core().campaign();
    stabilize("n1");
    wire.clear();
    // n1 hears the new term and steps down: the proposal may or may not survive.
    for (int i = 0; i < 30 && !f.isDone(); i++) {
      loops.get("n2").core().tick();
      stabilize();
    }
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(OutcomeUnknownException.class);
    }
  }

  @Test
  void aReadCompletesOnlyAfterAHeartbeatRoundConfirmsLeadership() throws Exception {
    cluster("n1", "n2", "n3");
    loops.get("n1").core().campaign();
    stabilize();
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    loops.get("n1").read(b("q"), f);
    stabilize("n2", "n3");
    assertThat(f).as("no majority confirmed it").isNotDone();
    assertThat(loops.get("n1").pending()).isEqualTo(1);
    CompletableFuture<byte[]> g = new CompletableFuture<>();
    loops.get("n1").read(b("q"), g);
    stabilize();
    // The lost round is still out, so g waits for the next one: the periodic heartbeat, which
    // carries every read waiting (one round in flight at a time, §6.4).
    for (int i = 0; i < 100 && !g.isDone(); i++) {
      loops.get("n1").core().tick();
      stabilize();
    }
    assertThat(g).isCompleted();
    assertThat(f).isCompleted();
  }

  @Test
  void aSyncSendsOneAcknowledgementPerLeaderForTheBatchesItReleased() {
    Message.AppendResponse at5 = new Message.AppendResponse("b", "a", 2, true, 5, 0, 0);
    Message.AppendResponse at7 = new Message.AppendResponse("b", "a", 2, true, 7, 0, 0);
    Message.AppendResponse refusal = new Message.AppendResponse("b", "a", 2, false, 3, 3, 1);
    Message.AppendResponse oldTerm = new Message.AppendResponse("b", "a", 1, true, 4, 0, 0);
    Message.AppendResponse toC = new Message.AppendResponse("b", "c", 2, true, 6, 0, 0);
    Message.HeartbeatResponse beat = new Message.HeartbeatResponse("b", "a", 2, 9);

    assertThat(Acknowledgements.folded(List.of(at5, beat, at7)))
        .as("the later acknowledgement says all the earlier one did")
        .containsExactly(beat, at7);
    assertThat(Acknowledgements.folded(List.of(at7, at5))).containsExactly(at7);
    assertThat(Acknowledgements.folded(List.of(at7, beat, at5)))
        .as("the highest stands where the last stood")
        .containsExactly(beat, at7);
    assertThat(Acknowledgements.folded(List.of(refusal, at5)))
        .as("a refusal is never left out")
        .containsExactly(refusal, at5);
    assertThat(Acknowledgements.folded(List.of(oldTerm, at5)))
        .as("nor one of another term")
        .containsExactly(oldTerm, at5);
    assertThat(Acknowledgements.folded(List.of(toC, at5)))
        .as("nor one to another leader")
        .containsExactly(toC, at5);
  }
}
