package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.nemesis.Nemesis;
import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.testbed.plan.FaultPlanner;
import dev.faultline.testbed.plan.PlannedWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultDriverTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  @TempDir Path data;

  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  private FaultDriver driver(FakeCluster cluster, List<PlannedWindow> windows) {
    Nemesis nemesis =
        new Nemesis(
            cluster,
            Optional.of(new FakeNet(cluster)),
            node -> cluster.leader(null),
            new SplittableRandom(1),
            Duration.ofMillis(50));
    return new FaultDriver(
        nemesis,
        new FaultPlanner(NODES, new SplittableRandom(2)),
        windows,
        (f, value) -> {
          events.add(f);
          cluster.log("event " + f);
        },
        System::nanoTime);
  }

  private static PlannedWindow window(long startMs, String fault, long lengthMs) {
    return new PlannedWindow(
        Duration.ofMillis(startMs), FaultKind.parse(fault), Duration.ofMillis(lengthMs));
  }

  private static void assertEveryStartHasItsStop(List<String> events) {
    assertThat(events.size() % 2).isZero();
    for (int i = 0; i < events.size(); i += 2) {
      assertThat(events.get(i)).startsWith("start-");
      assertThat(events.get(i + 1)).isEqualTo("stop-" + events.get(i).substring(6));
    }
  }

  @Test
  void eachFaultIsRecordedBeforeTheNemesisActsAndStoppedAtTheWindowsEnd() {
    var cluster = new FakeCluster(NODES, data);
    cluster.start();
    FaultDriver d =
        driver(
            cluster,
            List.of(window(0, "kill", 5), window(10, "pause", 5), window(20, "partition", 5)));
    d.start();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> d.entries().size() == 3);
    d.finish();

    assertThat(events)
        .containsExactly(
            "start-kill",
            "stop-kill",
            "start-pause",
            "stop-pause",
            "start-partition",
            "stop-partition");
    List<String> actions = cluster.actions();
    int recorded = actions.indexOf("event start-kill");
    int firstKill = -1;
    for (int i = 0; i < actions.size(); i++) {
      if (actions.get(i).startsWith("kill ")) {
        firstKill = i;
        break;
      }
    }
    assertThat(recorded).isGreaterThanOrEqualTo(0).isLessThan(firstKill);
    assertThat(cluster.allRunning()).isTrue();
    assertThat(d.entries())
        .allSatisfy(e -> assertThat(e.stopNanos()).isGreaterThan(e.startNanos()));
    assertThat(d.active()).isEmpty();
  }

  @Test
  void finishingMidWindowStopsTheFaultInForceAndRecordsItsStop() {
    var cluster = new FakeCluster(NODES, data);
    cluster.start();
    FaultDriver d = driver(cluster, List.of(window(0, "pause", 600_000)));
    d.start();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> events.size() == 1);
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> d.active().isPresent());
    d.finish();

    assertThat(events).containsExactly("start-pause", "stop-pause");
    assertThat(d.entries()).hasSize(1);
    assertThat(cluster.allRunning()).isTrue();
  }

  @Test
  void aClusterThatThrowsMidRunStillGetsEveryStopRecordedAndTheErrorReported() {
    var cluster = new FakeCluster(NODES, data);
    cluster.start();
    cluster.killsBeforeFailure.set(0);
    FaultDriver d =
        driver(
            cluster, List.of(window(0, "kill", 5), window(10, "disk", 5), window(20, "kill", 5)));
    d.start();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> d.entries().size() == 3);
    d.finish();

    assertEveryStartHasItsStop(events);
    assertThat(events).hasSize(6);
    assertThat(d.entries())
        .allSatisfy(
            e ->
                assertThat(e.started().error())
                    .hasValueSatisfying(m -> assertThat(m).contains("SIGKILL")));
  }

  @Test
  void finishBeforeStartAndTwiceIsHarmless() {
    var cluster = new FakeCluster(NODES, data);
    FaultDriver d = driver(cluster, List.of(window(0, "kill", 5)));
    d.finish();
    d.finish();
    assertThat(events).isEmpty();
  }

  @Test
  void aDiskFaultsStopIsRecordedInTheHistoryWithItsDamageAsPlainValues() throws Exception {
    var cluster = new FakeCluster(NODES, data);
    cluster.start();
    for (String node : NODES) {
      java.nio.file.Path wal =
          java.nio.file.Files.createDirectories(cluster.dataDir(node).resolve("wal"));
      byte[] records = new byte[4096];
      java.util.Arrays.fill(records, (byte) 0x5a); // not zeros: those would be space written ahead
      java.nio.file.Files.write(wal.resolve("00000000000000000001.wal"), records);
    }
    java.nio.file.Path file = data.resolve("history.jsonl");
    dev.faultline.histories.History history;
    FaultDriver d;
    try (var recorder = dev.faultline.histories.HistoryRecorder.open(file)) {
      Nemesis nemesis =
          new Nemesis(
              cluster,
              Optional.of(new FakeNet(cluster)),
              node -> cluster.leader(null),
              new SplittableRandom(1),
              Duration.ofMillis(50));
      d =
          new FaultDriver(
              nemesis,
              new FaultPlanner(NODES, new SplittableRandom(2)),
              List.of(window(0, "disk", 5)),
              (f, value) -> recorder.nemesis(dev.faultline.histories.OpType.INFO, f, value),
              recorder::nanosSinceStart);
      d.start();
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> d.entries().size() == 1);
      d.finish();
      history = recorder.history();
    }

    assertThat(d.problems()).isEmpty();
    var names = history.nemesisEvents().stream().map(dev.faultline.histories.Op::f).toList();
    assertThat(names).hasSize(2);
    assertThat(names.get(0)).startsWith("start-wal-");
    assertThat(names.get(1)).isEqualTo("stop-" + names.get(0).substring(6));
    var stop = (java.util.Map<?, ?>) history.nemesisEvents().get(1).value();
    assertThat(stop.get("damage")).isInstanceOf(java.util.Map.class);
    assertThat(((java.util.Map<?, ?>) stop.get("damage")).get("file").toString()).endsWith(".wal");
  }
}
