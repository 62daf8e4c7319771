package dev.faultline.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.nemesis.cluster.Cluster;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.NodeState;
import dev.faultline.nemesis.cluster.NodeState.Phase;
import dev.faultline.nemesis.faults.ClockFault;
import dev.faultline.nemesis.faults.Target;
import dev.faultline.nemesis.net.Grudge;
import dev.faultline.nemesis.net.Net;
import dev.faultline.nemesis.net.NodeAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The nemesis's bookkeeping against a recording cluster: no processes involved. */
class NemesisTest {

  /** Records every action; nodes named in {@code failing} throw on resume and start. */
  static final class RecordingCluster implements Cluster {
    final Map<String, Phase> phases = new LinkedHashMap<>();
    final List<String> actions = new ArrayList<>();
    final List<String> failing;

    RecordingCluster(List<String> failing) {
      this.failing = failing;
      for (String id : List.of("n1", "n2", "n3")) {
        phases.put(id, Phase.RUNNING);
      }
    }

    @Override
    public List<String> nodeIds() {
      return List.copyOf(phases.keySet());
    }

    @Override
    public NodeAddress address(String nodeId) {
      return new NodeAddress(
          nodeId, Integer.parseInt(nodeId.substring(1)), "10.77.0." + nodeId.substring(1));
    }

    @Override
    public void start() {
      nodeIds().forEach(this::start);
    }

    @Override
    public void start(String nodeId) {
      act("start", nodeId);
      phases.put(nodeId, Phase.RUNNING);
    }

    @Override
    public void stop(String nodeId, Duration grace) {
      act("stop", nodeId);
      phases.put(nodeId, Phase.STOPPED);
    }

    @Override
    public void kill(String nodeId) {
      act("kill", nodeId);
      phases.put(nodeId, Phase.KILLED);
    }

    @Override
    public void pause(String nodeId) {
      act("pause", nodeId);
      phases.put(nodeId, Phase.PAUSED);
    }

    @Override
    public void resume(String nodeId) {
      act("resume", nodeId);
      phases.put(nodeId, Phase.RUNNING);
    }

    @Override
    public void restart(String nodeId, Map<String, String> extraEnv) {
      act("restart" + new java.util.TreeMap<>(extraEnv).keySet(), nodeId);
      phases.put(nodeId, Phase.RUNNING);
    }

    @Override
    public NodeState state(String nodeId) {
      return new NodeState(nodeId, phases.get(nodeId), OptionalLong.empty(), OptionalInt.empty());
    }

    @Override
    public Path dataDir(String nodeId) {
      return Path.of("/nonexistent", nodeId);
    }

    @Override
    public Optional<String> leader(LeaderProbe probe) {
      return Optional.of("n2");
    }

    @Override
    public void collectLogs(Path dir) {}

    @Override
    public void close() {}

    private void act(String action, String nodeId) {
      actions.add(action + " " + nodeId);
      if (failing.contains(nodeId) && (action.equals("resume") || action.equals("start"))) {
        throw new IllegalStateException(nodeId + " will not " + action);
      }
    }
  }

  static final class RecordingNet implements Net {
    Grudge current = Grudge.NONE;
    int heals;

    @Override
    public void partition(Grudge grudge) {
      current = grudge;
    }

    @Override
    public void heal() {
      heals++;
      current = Grudge.NONE;
    }

    @Override
    public Grudge current() {
      return current;
    }
  }

  private static Nemesis nemesis(Cluster cluster, Net net) {
    return new Nemesis(
        cluster,
        Optional.of(net),
        node -> Optional.empty(),
        new SplittableRandom(1),
        Duration.ZERO);
  }

  @Test
  void healAllCarriesOnPastAFailureAndReportsIt() {
    var cluster = new RecordingCluster(List.of("n2"));
    var net = new RecordingNet();
    var nemesis = nemesis(cluster, net);
    nemesis.start(Fault.partition(Grudge.parse("n1:n2")));
    nemesis.start(Fault.pause(List.of("n2")));
    nemesis.start(Fault.kill(List.of("n3")));

    List<String> problems = nemesis.healAll();

    assertThat(problems).containsExactly("could not resume n2: n2 will not resume");
    assertThat(net.current()).isEqualTo(Grudge.NONE);
    assertThat(cluster.actions).contains("start n3");
    assertThat(cluster.state("n3").phase()).isEqualTo(Phase.RUNNING);
  }

  @Test
  void failedStartIsAnOutcomeWithTheErrorNotAnException() {
    var cluster = new RecordingCluster(List.of());
    var outcome = nemesis(cluster, new RecordingNet()).start(Fault.walTruncate("n1", 10));
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.f()).isEqualTo("start-wal-truncate");
    assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e).contains("no WAL directory"));
  }

  @Test
  void clockFaultRestartsWithFaketimeAndHealAllRestoresTheRealClock() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        ClockFault.library().isPresent(), "libfaketime (Debian faketime) missing");
    var cluster = new RecordingCluster(List.of());
    var nemesis = nemesis(cluster, new RecordingNet());
    var outcome = nemesis.start(Fault.clock(List.of("n1"), ClockFault.offset(Duration.ofHours(1))));
    assertThat(outcome.ok()).isTrue();
    assertThat(nemesis.healAll()).isEmpty();
    assertThat(cluster.actions).containsExactly("restart[FAKETIME, LD_PRELOAD] n1", "restart[] n1");
  }

  @Test
  void leaderTargetUsesTheClustersLeader() {
    var nemesis = nemesis(new RecordingCluster(List.of()), new RecordingNet());
    assertThat(nemesis.pick(Target.LEADER)).containsExactly("n2");
    assertThat(nemesis.pick(Target.ALL)).containsExactly("n1", "n2", "n3");
  }
}
