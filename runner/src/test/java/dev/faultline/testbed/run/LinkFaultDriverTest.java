package dev.faultline.testbed.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.nemesis.Nemesis;
import dev.faultline.nemesis.net.LoopbackNetwork;
import dev.faultline.nemesis.toxiproxy.LinkProxy;
import dev.faultline.nemesis.toxiproxy.ProxyControl;
import dev.faultline.nemesis.toxiproxy.ToxicSpec;
import dev.faultline.nemesis.toxiproxy.ToxiproxyNet;
import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.testbed.plan.FaultPlanner;
import dev.faultline.testbed.plan.PlannedWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Link faults go to Toxiproxy and are recorded like every other fault, start before stop. */
class LinkFaultDriverTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  @TempDir Path data;

  /** A Toxiproxy server in memory: which toxics are on which proxy, and every call. */
  static final class RecordingControl implements ProxyControl {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, List<String>> toxics = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public String version() {
      return "test";
    }

    @Override
    public void create(LinkProxy proxy) {
      toxics.put(proxy.name(), Collections.synchronizedList(new ArrayList<>()));
    }

    @Override
    public void setEnabled(String proxy, boolean enabled) {
      calls.add((enabled ? "enable " : "disable ") + proxy);
    }

    @Override
    public void addToxic(String proxy, ToxicSpec toxic) {
      calls.add("add " + proxy + " " + toxic.name());
      toxics.get(proxy).add(toxic.name());
    }

    @Override
    public void removeToxic(String proxy, String toxic) {
      calls.add("remove " + proxy + " " + toxic);
      toxics.get(proxy).remove(toxic);
    }

    @Override
    public void reset() {
      calls.add("reset");
      toxics.values().forEach(List::clear);
    }

    @Override
    public void delete(String proxy) {
      toxics.remove(proxy);
    }
  }

  @Test
  void latencyBandwidthAndFlakyArePlacedOnLinksAndRecordedAsNemesisEvents() {
    var cluster = new FakeCluster(NODES, data);
    cluster.start();
    var control = new RecordingControl();
    ToxiproxyNet links =
        ToxiproxyNet.connect(
            control,
            LocalDeployment.topology(LoopbackNetwork.create(NODES)),
            ToxiproxyNet.PartitionStyle.REFUSE);
    Nemesis nemesis =
        new Nemesis(
            cluster,
            Optional.of(links),
            node -> cluster.leader(null),
            new SplittableRandom(1),
            Duration.ofMillis(50));
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    FaultDriver d =
        new FaultDriver(
            nemesis,
            Optional.of(links),
            new FaultPlanner(NODES, new SplittableRandom(2)),
            List.of(
                new PlannedWindow(Duration.ZERO, FaultKind.LATENCY, Duration.ofMillis(5)),
                new PlannedWindow(Duration.ofMillis(10), FaultKind.BANDWIDTH, Duration.ofMillis(5)),
                new PlannedWindow(Duration.ofMillis(20), FaultKind.FLAKY, Duration.ofMillis(5)),
                new PlannedWindow(
                    Duration.ofMillis(30), FaultKind.PARTITION, Duration.ofMillis(5))),
            (f, value) -> events.add(f + " " + value.containsKey("links")),
            System::nanoTime);

    d.start();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> d.entries().size() == 4);
    d.finish();

    assertThat(events)
        .containsExactly(
            "start-latency true",
            "stop-latency true",
            "start-bandwidth true",
            "stop-bandwidth true",
            "start-flaky true",
            "stop-flaky true",
            "start-partition false",
            "stop-partition false");
    assertThat(control.calls).anyMatch(c -> c.startsWith("add ") && c.endsWith("latency-upstream"));
    assertThat(control.calls).anyMatch(c -> c.endsWith("faultline-bandwidth-downstream"));
    assertThat(control.calls).anyMatch(c -> c.endsWith("faultline-flaky-upstream"));
    assertThat(control.calls).anyMatch(c -> c.startsWith("disable "));
    assertThat(control.toxics.values()).allMatch(List::isEmpty);
    assertThat(d.entries()).allMatch(e -> e.started().error().isEmpty(), "started cleanly");
    assertThat(d.entries().get(0).fault().label()).isEqualTo("latency");
  }

  @Test
  void aLinkFaultWithoutToxiproxyFailsToStartButIsStillRecordedAndStopped() {
    var cluster = new FakeCluster(NODES, data);
    cluster.start();
    Nemesis nemesis =
        new Nemesis(
            cluster,
            Optional.empty(),
            node -> cluster.leader(null),
            new SplittableRandom(1),
            Duration.ofMillis(50));
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    FaultDriver d =
        new FaultDriver(
            nemesis,
            new FaultPlanner(NODES, new SplittableRandom(2)),
            List.of(new PlannedWindow(Duration.ZERO, FaultKind.LATENCY, Duration.ofMillis(5))),
            (f, value) -> events.add(f),
            System::nanoTime);

    d.start();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> d.entries().size() == 1);
    d.finish();

    assertThat(events).containsExactly("start-latency", "stop-latency");
    assertThat(d.entries().get(0).started().error())
        .hasValueSatisfying(e -> assertThat(e).contains("--net toxiproxy"));
  }
}
