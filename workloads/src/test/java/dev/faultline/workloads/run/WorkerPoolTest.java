package dev.faultline.workloads.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.workloads.Command;
import dev.faultline.workloads.FakeStore;
import dev.faultline.workloads.Generator;
import dev.faultline.workloads.SetAnalysis;
import dev.faultline.workloads.Workload;
import dev.faultline.workloads.WorkloadOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
  private static final PoolOptions QUICK =
      PoolOptions.defaults()
          .withTimeLimit(Duration.ofSeconds(20))
          .withFinalReads(5, Duration.ofMillis(1));

  private static Generator kv(long seed) {
    return Workload.named("kv").generator(seed, WorkloadOptions.defaults().withOpsPerKey(50));
  }

  @Test
  void historyIsWellFormedUnderTimeoutsAndFailures() throws InterruptedException {
    FakeStore store = new FakeStore(1).failing(0.05).timingOut(0.05);
    MemoryRecorder recorder = new MemoryRecorder();
    Generator generator = kv(7);
    WorkerPool pool = new WorkerPool(generator, store.clients(), recorder, QUICK.withOpLimit(2000));
    WorkerPool.Result result = pool.run();
    History h = recorder.history();

    assertThat(h.pending()).isEmpty();
    assertThat(result.mainPhaseOps()).isEqualTo(2000);
    assertThat(result.unreadKeys()).isEmpty();
    long infos = h.calls().stream().filter(c -> c.outcome() == Call.Outcome.INFO).count();
    assertThat(infos).isPositive();
    for (Map.Entry<Long, List<Op>> e : h.byProcess().entrySet()) {
      List<Op> ops = e.getValue();
      for (int i = 0; i < ops.size() - 1; i++) {
        assertThat(ops.get(i).type())
            .as("process %d completes info only as its last op", e.getKey())
            .isNotEqualTo(OpType.INFO);
      }
    }
    // Each worker runs processes w, w + c, w + 2c, ... in turn, moving on only after an info.
    int c = QUICK.concurrency();
    Map<Long, List<Long>> byWorker = new java.util.TreeMap<>();
    for (Long p : h.byProcess().keySet()) {
      byWorker.computeIfAbsent(p % c, w -> new ArrayList<>()).add(p);
    }
    for (Map.Entry<Long, List<Long>> e : byWorker.entrySet()) {
      List<Long> ps = e.getValue();
      ps.sort(null);
      for (int i = 0; i < ps.size(); i++) {
        assertThat(ps.get(i)).isEqualTo(e.getKey() + (long) i * c);
        if (i < ps.size() - 1) {
          List<Op> ops = h.byProcess().get(ps.get(i));
          assertThat(ops.get(ops.size() - 1).type()).isEqualTo(OpType.INFO);
        }
      }
    }
    Progress totals = result.totals();
    assertThat(totals.invoked()).isEqualTo(h.calls().size());
    assertThat(totals.ok() + totals.fail() + totals.info()).isEqualTo(totals.invoked());
    assertThat(totals.info()).isEqualTo(infos);
  }

  @Test
  void finalReadsReadEveryTouchedKeyAfterTheMainPhase() throws InterruptedException {
    MemoryRecorder recorder = new MemoryRecorder();
    WorkerPool pool =
        new WorkerPool(kv(3), new FakeStore(2).clients(), recorder, QUICK.withOpLimit(1000));
    WorkerPool.Result result = pool.run();
    List<Call> calls = recorder.history().calls();
    List<Call> main = calls.subList(0, (int) result.mainPhaseOps());
    List<Call> last = calls.subList((int) result.mainPhaseOps(), calls.size());
    Set<Object> touched = main.stream().map(Call::key).collect(Collectors.toSet());
    assertThat(last).allSatisfy(c -> assertThat(c.f()).isEqualTo("read"));
    assertThat(last.stream().filter(c -> c.outcome() == Call.Outcome.OK).map(Call::key))
        .containsExactlyInAnyOrderElementsOf(touched);
    int lastMainCompletion =
        main.stream().mapToInt(c -> c.completion().index()).max().orElseThrow();
    assertThat(last)
        .allSatisfy(c -> assertThat(c.invoke().index()).isGreaterThan(lastMainCompletion));
  }

  @Test
  void oneProcessRunsTheGeneratorsSequenceInOrder() throws InterruptedException {
    MemoryRecorder recorder = new MemoryRecorder();
    new WorkerPool(
            kv(11), new FakeStore(3).clients(), recorder, QUICK.withConcurrency(1).withOpLimit(300))
        .run();
    Generator expected = kv(11);
    List<Object> want = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Command c = expected.next();
      want.add(List.of(c.f(), c.key(), String.valueOf(c.invokeValue())));
    }
    List<Object> got =
        recorder.history().calls().stream()
            .limit(300)
            .map(c -> List.of(c.f(), c.key(), String.valueOf(c.invoke().value())))
            .collect(Collectors.toList());
    assertThat(got).isEqualTo(want);
  }

  @Test
  void manyProcessesRunTheSameOpsForTheSameSeed() throws InterruptedException {
    List<List<Object>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      MemoryRecorder recorder = new MemoryRecorder();
      WorkerPool.Result r =
          new WorkerPool(kv(5), new FakeStore(run).clients(), recorder, QUICK.withOpLimit(500))
              .run();
      runs.add(
          recorder.history().calls().stream()
              .limit(r.mainPhaseOps())
              .map(c -> (Object) List.of(c.f(), c.key(), String.valueOf(c.invoke().value())))
              .sorted(Comparator.comparing(Object::toString))
              .collect(Collectors.toList()));
    }
    assertThat(runs.get(0)).isEqualTo(runs.get(1));
  }

  @Test
  void stopEndsTheMainPhaseAndFinalReadsStillRun() throws InterruptedException {
    MemoryRecorder recorder = new MemoryRecorder();
    WorkerPool pool =
        new WorkerPool(
            kv(9),
            new FakeStore(4).clients(),
            recorder,
            QUICK.withTimeLimit(Duration.ofMinutes(5)));
    AtomicReference<WorkerPool.Result> result = new AtomicReference<>();
    Thread runner =
        new Thread(
            () -> {
              try {
                result.set(pool.run());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    runner.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> pool.progress().invoked() > 200);
    pool.stop();
    runner.join(Duration.ofSeconds(20).toMillis());
    assertThat(runner.isAlive()).isFalse();
    assertThat(result.get().unreadKeys()).isEmpty();
    assertThat(recorder.history().pending()).isEmpty();
  }

  @Test
  void rateLimitAdmitsNoMoreOpsThanItsScheduleAllows() throws InterruptedException {
    MemoryRecorder recorder = new MemoryRecorder();
    PoolOptions options = QUICK.withTimeLimit(Duration.ofMillis(500)).withRate(40);
    WorkerPool.Result r =
        new WorkerPool(kv(1), new FakeStore(5).clients(), recorder, options).run();
    // Op n is due n/40 s after the start; only those due before 0.5 s may run.
    assertThat(r.mainPhaseOps()).isLessThanOrEqualTo(20);
  }

  @Test
  void recorderFailureStopsTheRunWithItsCause() {
    MemoryRecorder inner = new MemoryRecorder();
    OpRecorder broken =
        new OpRecorder() {
          private int n;

          @Override
          public synchronized Op invoke(long process, String f, Object key, Object value) {
            if (++n == 50) {
              throw new IllegalStateException("disk full writing history.jsonl");
            }
            return inner.invoke(process, f, key, value);
          }

          @Override
          public Op complete(Op invoke, OpType type, Object value, String node, String error) {
            return inner.complete(invoke, type, value, node, error);
          }
        };
    WorkerPool pool = new WorkerPool(kv(2), new FakeStore(6).clients(), broken, QUICK);
    assertThatThrownBy(pool::run).hasMessageContaining("disk full writing history.jsonl");
  }

  @Test
  void setWorkloadOverAHealthyStoreLosesNothing() throws InterruptedException {
    MemoryRecorder recorder = new MemoryRecorder();
    Workload set = Workload.named("set");
    Generator g = set.generator(8, WorkloadOptions.defaults().withSetKeys(2));
    new WorkerPool(g, new FakeStore(7).timingOut(0.05).clients(), recorder, QUICK.withOpLimit(600))
        .run();
    SetAnalysis a = (SetAnalysis) set.analyze(recorder.history()).orElseThrow();
    assertThat(a.valid()).as(a.summary()).isTrue();
    assertThat(a.acknowledged()).isPositive();
    assertThat(a.unchecked()).isEmpty();
  }

  @Test
  void setWorkloadCatchesAStoreThatDropsAcknowledgedWrites() throws InterruptedException {
    MemoryRecorder recorder = new MemoryRecorder();
    Workload set = Workload.named("set");
    new WorkerPool(
            set.generator(8, WorkloadOptions.defaults()),
            new FakeStore(8).droppingWrites(0.2).clients(),
            recorder,
            QUICK.withOpLimit(300))
        .run();
    SetAnalysis a = (SetAnalysis) set.analyze(recorder.history()).orElseThrow();
    assertThat(a.valid()).isFalse();
    assertThat(a.lost()).isNotEmpty();
    Set<Object> acknowledged = new HashSet<>();
    for (Call c : recorder.history().calls()) {
      if (c.f().equals("add") && c.outcome() == Call.Outcome.OK) {
        acknowledged.add(c.invoke().value());
      }
    }
    assertThat(acknowledged).containsAll(a.lost());
  }
}
