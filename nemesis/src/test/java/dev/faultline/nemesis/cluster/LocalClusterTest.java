package dev.faultline.nemesis.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.nemesis.Fault;
import dev.faultline.nemesis.Nemesis;
import dev.faultline.nemesis.cluster.NodeState.Phase;
import dev.faultline.nemesis.faults.ClockFault;
import dev.faultline.nemesis.net.LoopbackNetwork;
import dev.faultline.nemesis.standin.ControlClient;
import dev.faultline.nemesis.standin.StandInCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A one-node cluster on loopback (no sandbox needed): process control and clock faults. */
class LocalClusterTest {
  @TempDir Path dir;

  @Test
  void launcherSeesEveryAddressAndSpecsMustMatchTheirNode() {
    var network = LoopbackNetwork.create(List.of("n1", "n2"));
    var seen = new java.util.ArrayList<String>();
    LocalCluster.create(
        network,
        (self, all) -> {
          seen.add(self.id() + "@" + self.host() + " of " + all.size());
          return new NodeSpec(self.id(), List.of("true"), Map.of(), dir, dir, dir.resolve("l"));
        });
    assertThat(seen).containsExactly("n1@127.77.0.1 of 2", "n2@127.77.0.2 of 2");
    assertThatThrownBy(
            () ->
                LocalCluster.create(
                    network,
                    (self, all) ->
                        new NodeSpec("n9", List.of("true"), Map.of(), dir, dir, dir.resolve("l"))))
        .hasMessage("launcher returned a spec for n9 when asked for n1");
  }

  @Test
  void loopbackClusterCannotPartitionAndSaysWhy() {
    try (var cluster = StandInCluster.create(LoopbackNetwork.create(List.of("n1")), dir)) {
      assertThatThrownBy(cluster::net).hasMessageContaining("partitions need the network sandbox");
      var nemesis =
          Nemesis.of(
              cluster, StandInCluster.SELF_WHEN_ANSWERING, new java.util.SplittableRandom(1));
      var outcome = nemesis.start(Fault.partition(dev.faultline.nemesis.net.Grudge.NONE));
      assertThat(outcome.error())
          .hasValueSatisfying(e -> assertThat(e).contains("network sandbox"));
    }
  }

  @Test
  void nodeThatExitsOnItsOwnIsReportedWithItsExitCode() throws Exception {
    var network = LoopbackNetwork.create(List.of("n1"));
    try (var cluster =
        LocalCluster.create(
            network,
            (self, all) ->
                new NodeSpec(
                    self.id(),
                    List.of("sh", "-c", "echo bad wal segment; exit 4"),
                    Map.of(),
                    dir,
                    dir.resolve("data"),
                    dir.resolve("n1.log")))) {
      cluster.start();
      var handle = ProcessHandle.of(cluster.state("n1").pid().orElseThrow());
      handle.ifPresent(h -> h.onExit().join());
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> cluster.state("n1").phase() == Phase.EXITED);
      assertThat(cluster.state("n1").exitCode()).hasValue(4);
      assertThat(java.nio.file.Files.readString(dir.resolve("n1.log"))).contains("bad wal segment");
      assertThatThrownBy(() -> cluster.pause("n1"))
          .hasMessage("cannot pause node n1: it is EXITED");
    }
  }

  @Test
  void stopAllSignalsEveryNodeAtOnceAndKillsOnlyWhatOutlivesItsOwnGrace() throws Exception {
    // n1 and n2 each exit on SIGTERM only once the other has had its SIGTERM too: stopped one
    // after another, the first would wait out its grace and be killed. n3 ignores SIGTERM.
    String waitsForOther =
        "trap 'touch %s; while [ ! -f %s ]; do sleep 0.05; done; exit 0' TERM;"
            + " touch %s; while true; do sleep 0.05; done";
    var scripts =
        Map.of(
            "n1",
            String.format(
                waitsForOther,
                dir.resolve("n1.term"),
                dir.resolve("n2.term"),
                dir.resolve("n1.up")),
            "n2",
            String.format(
                waitsForOther,
                dir.resolve("n2.term"),
                dir.resolve("n1.term"),
                dir.resolve("n2.up")),
            "n3",
            String.format(
                "trap '' TERM; touch %s; while true; do sleep 0.05; done", dir.resolve("n3.up")));
    var network = LoopbackNetwork.create(List.of("n1", "n2", "n3"));
    try (var cluster =
        LocalCluster.create(
            network,
            (self, all) ->
                new NodeSpec(
                    self.id(),
                    List.of("sh", "-c", scripts.get(self.id())),
                    Map.of(),
                    dir.resolve(self.id()),
                    dir.resolve(self.id()).resolve("data"),
                    dir.resolve(self.id() + ".log")))) {
      cluster.start();
      // The traps are set before each script touches its file.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  java.nio.file.Files.exists(dir.resolve("n1.up"))
                      && java.nio.file.Files.exists(dir.resolve("n2.up"))
                      && java.nio.file.Files.exists(dir.resolve("n3.up")));
      cluster.pause("n2");

      var graces = new java.util.LinkedHashMap<String, Duration>();
      graces.put("n1", Duration.ofSeconds(30));
      graces.put("n2", Duration.ofSeconds(30));
      graces.put("n3", Duration.ofMillis(200));
      List<String> problems = cluster.stopAll(graces);

      assertThat(problems).isEmpty();
      for (String id : List.of("n1", "n2", "n3")) {
        assertThat(cluster.state(id).phase()).isEqualTo(Phase.STOPPED);
      }
      // n1 and n2 exited by themselves (n2 was paused: continued after its SIGTERM); n3 was killed.
      assertThat(cluster.state("n1").exitCode()).hasValue(0);
      assertThat(cluster.state("n2").exitCode()).hasValue(0);
      assertThat(cluster.state("n3").exitCode()).hasValue(128 + 9);
    }
  }

  @Test
  void clockOffsetFaultMovesTheNodesWallClockAndStopRestoresIt() {
    Assumptions.assumeTrue(
        ClockFault.library().isPresent(), "libfaketime (Debian faketime) missing");
    try (var cluster = StandInCluster.create(LoopbackNetwork.create(List.of("n1")), dir)) {
      cluster.start();
      String host = cluster.address("n1").host();
      assertThat(StandInCluster.awaitAllAnswer(cluster, 15_000)).isTrue();
      var nemesis = StandInCluster.nemesis(cluster, StandInCluster.SELF_WHEN_ANSWERING, 3);
      Fault skew = Fault.clock(List.of("n1"), ClockFault.offset(Duration.ofDays(1)));

      assertThat(nemesis.start(skew).ok()).isTrue();
      assertThat(StandInCluster.awaitAllAnswer(cluster, 15_000)).isTrue();
      long skewed = wallClock(host) - System.currentTimeMillis();
      assertThat(skewed)
          .isBetween(Duration.ofHours(23).toMillis(), Duration.ofHours(25).toMillis());

      assertThat(nemesis.stop(skew).ok()).isTrue();
      assertThat(StandInCluster.awaitAllAnswer(cluster, 15_000)).isTrue();
      long restored = wallClock(host) - System.currentTimeMillis();
      assertThat(Math.abs(restored)).isLessThan(Duration.ofMinutes(5).toMillis());
    }
  }

  @Test
  void clockRateFaultSpeedsUpTheNodesNanoTime() {
    Assumptions.assumeTrue(
        ClockFault.library().isPresent(), "libfaketime (Debian faketime) missing");
    try (var cluster = StandInCluster.create(LoopbackNetwork.create(List.of("n1")), dir)) {
      cluster.restart("n1", ClockFault.rate(4).env());
      String host = cluster.address("n1").host();
      assertThat(StandInCluster.awaitAllAnswer(cluster, 15_000)).isTrue();
      long[] first = clocks(host);
      long ourStart = System.nanoTime();
      // Bounded: ask until our own clock has advanced 400 ms, at most 400 times.
      long[] last = first;
      for (int i = 0; i < 400 && System.nanoTime() - ourStart < 400_000_000L; i++) {
        last = clocks(host);
      }
      long ours = System.nanoTime() - ourStart;
      double nanoRatio = (double) (last[1] - first[1]) / ours;
      double wallRatio = (double) (last[0] - first[0]) * 1_000_000 / ours;
      // x4 by design; the slack absorbs the round trips around the two readings.
      assertThat(nanoRatio).isGreaterThan(2.5);
      assertThat(wallRatio).isGreaterThan(2.5);
    }
  }

  private static long wallClock(String host) {
    return clocks(host)[0];
  }

  private static long[] clocks(String host) {
    Optional<String> pong = ControlClient.ask(host, "ping", 2000);
    String[] words = pong.orElseThrow().split(" ");
    return new long[] {Long.parseLong(words[3]), Long.parseLong(words[4])};
  }
}
