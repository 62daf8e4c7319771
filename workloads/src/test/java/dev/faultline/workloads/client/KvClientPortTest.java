package dev.faultline.workloads.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.api.Limits;
import dev.faultline.api.grpc.GrpcServer;
import dev.faultline.api.http.HttpApi;
import dev.faultline.api.metrics.NodeMetrics;
import dev.faultline.checker.CheckOptions;
import dev.faultline.checker.Checker;
import dev.faultline.checker.Verdict;
import dev.faultline.checker.model.Models;
import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import dev.faultline.histories.OpType;
import dev.faultline.workloads.Command;
import dev.faultline.workloads.SetAnalysis;
import dev.faultline.workloads.Workload;
import dev.faultline.workloads.WorkloadOptions;
import dev.faultline.workloads.run.MemoryRecorder;
import dev.faultline.workloads.run.PoolOptions;
import dev.faultline.workloads.run.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Workloads through the api module's client and servers (HTTP and gRPC on loopback), all three
 * nodes serving one in-memory backend.
 */
class KvClientPortTest {
  private static final PoolOptions POOL =
      PoolOptions.defaults()
          .withConcurrency(5)
          .withTimeLimit(Duration.ofSeconds(20))
          .withOpLimit(400)
          .withFinalReads(5, Duration.ofMillis(10));

  private final List<AutoCloseable> open = new ArrayList<>();
  private final Map<String, String> http = new LinkedHashMap<>();
  private final Map<String, String> grpc = new LinkedHashMap<>();
  private MemoryBackend backend;

  @BeforeEach
  void startNodes() {
    backend = new MemoryBackend("n1", 17);
    NodeMetrics metrics = new NodeMetrics();
    open.add(metrics);
    for (String id : List.of("n1", "n2", "n3")) {
      HttpApi h = new HttpApi(backend, metrics, Limits.DEFAULTS);
      GrpcServer g = new GrpcServer(backend, metrics, Limits.DEFAULTS);
      open.add(0, h);
      open.add(0, g);
      http.put(id, "127.0.0.1:" + h.start("127.0.0.1", 0));
      grpc.put(id, "127.0.0.1:" + g.start("127.0.0.1", 0));
    }
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private ClientFactory clients(Protocol p, boolean sessions) {
    return KvClientPort.factory(
        p, p == Protocol.HTTP ? http : grpc, Duration.ofSeconds(2), sessions);
  }

  private ClientFactory clients(Protocol p) {
    return clients(p, true);
  }

  private History run(Protocol p, Workload w, long seed) throws InterruptedException {
    return run(p, w, seed, true);
  }

  private History run(Protocol p, Workload w, long seed, boolean sessions)
      throws InterruptedException {
    MemoryRecorder recorder = new MemoryRecorder();
    new WorkerPool(
            w.generator(seed, WorkloadOptions.defaults().withOpsPerKey(40)),
            clients(p, sessions),
            recorder,
            POOL)
        .run();
    return recorder.history();
  }

  private static Verdict check(Workload w, History h) {
    return Checker.check(
            h,
            CheckOptions.defaults()
                .withModel(Models.named(w.checkerModel().orElseThrow()))
                .withTimeout(Duration.ofSeconds(20)))
        .verdict();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void kvRunWithUnknownOutcomesChecksValidAndNamesTheNodes(Protocol p) throws InterruptedException {
    backend.unknownRate = 0.05;
    backend.unavailableRate = 0.05;
    Workload kv = Workload.named("kv");
    History h = run(p, kv, 3);
    assertThat(check(kv, h)).isEqualTo(Verdict.VALID);
    assertThat(h.calls())
        .filteredOn(c -> c.outcome() == Call.Outcome.OK)
        .allSatisfy(c -> assertThat(c.completion().node()).isIn("n1", "n2", "n3"));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void withoutSessionsAnUnknownWriteIsRecordedAsInfo(Protocol p) throws InterruptedException {
    backend.unknownRate = 0.05;
    Workload kv = Workload.named("kv");
    History h = run(p, kv, 6, false);
    assertThat(h.calls()).anySatisfy(c -> assertThat(c.outcome()).isEqualTo(Call.Outcome.INFO));
    assertThat(check(kv, h)).isEqualTo(Verdict.VALID);
  }

  @Test
  void staleReadsThroughTheRealClientCheckInvalid() throws InterruptedException {
    backend.staleReadRate = 0.3;
    Workload kv = Workload.named("kv");
    assertThat(check(kv, run(Protocol.HTTP, kv, 4))).isEqualTo(Verdict.INVALID);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void setRunOverTheRealClientLosesNothing(Protocol p) throws InterruptedException {
    backend.unknownRate = 0.03;
    Workload set = Workload.named("set");
    SetAnalysis a = (SetAnalysis) set.analyze(run(p, set, 5)).orElseThrow();
    assertThat(a.valid()).as(a.summary()).isTrue();
    assertThat(a.acknowledged()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void mismatchIsFailAndAbsentReadsAsNull(Protocol p) {
    try (Client c = clients(p).open(1)) {
      assertThat(c.execute(new Command.Read("fresh"))).isEqualTo(Completion.ok(null, "n2"));
      Completion cas = c.execute(new Command.Cas("fresh", 1, 2));
      assertThat(cas.type()).isEqualTo(OpType.FAIL);
      assertThat(cas.error()).isEqualTo(KvPort.CAS_MISMATCH);
      assertThat(c.execute(new Command.Write("fresh", 1)).type()).isEqualTo(OpType.OK);
      assertThat(c.execute(new Command.Cas("fresh", 1, 2)).type()).isEqualTo(OpType.OK);
      assertThat(c.execute(new Command.Read("fresh")).value()).isEqualTo(2L);
    }
  }

  @Test
  void unreachableClusterIsADefiniteFailureForWrites() {
    Map<String, String> gone = Map.of("n9", "127.0.0.1:1");
    try (Client c =
        KvClientPort.factory(Protocol.HTTP, gone, Duration.ofMillis(500), true).open(0)) {
      Completion w = c.execute(new Command.Write("k", 1));
      assertThat(w.type()).isEqualTo(OpType.FAIL);
      assertThat(w.error()).isNotBlank();
    }
  }

  @Test
  void endpointsAreMatchedByHostAndPort() {
    assertThat(KvClientPort.hostPort("http://127.0.0.1:8080/v1/kv/k")).isEqualTo("127.0.0.1:8080");
    assertThat(KvClientPort.hostPort("LocalHost:9")).isEqualTo("localhost:9");
  }
}
