package dev.faultline.testbed.run.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.testbed.run.Backend;
import dev.faultline.testbed.run.NemesisChoice;
import dev.faultline.testbed.run.TestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SystemsTest {
  private static TestOptions options(String nemesis, Backend backend, SystemSpec system) {
    return new TestOptions(
        3,
        "kv",
        NemesisChoice.parse(nemesis, true),
        Duration.ofSeconds(10),
        4,
        0,
        "http",
        1,
        Optional.empty(),
        1,
        Path.of("store"),
        Duration.ofSeconds(5),
        Duration.ofSeconds(4),
        backend,
        system);
  }

  private static SystemSpec spec(String name, String... options) {
    return SystemSpec.parse(name, List.of(options), null);
  }

  @Test
  void ourNodeIsTheDefaultSystemAndServesEveryFault() {
    TestOptions o =
        options("partition,kill,pause,disk,clock", Backend.DEFAULT, SystemSpec.FAULTLINE);

    assertThat(o.systemUnderTest().name()).isEqualTo("faultline");
    assertThat(o.runName()).isEqualTo("kv-" + o.nemesis().dirName());
    assertThat(o.toMap()).containsEntry("db", "faultline");
  }

  @Test
  void anotherSystemNamesItsRunsAndRecordsItsOptionsWithDefaults() {
    TestOptions o = options("partition", Backend.DEFAULT, spec("etcd"));

    assertThat(o.runName()).isEqualTo("etcd-kv-partition");
    assertThat(o.toMap())
        .containsEntry("db", "etcd")
        .containsEntry("db_options", Map.of("reads", "linearizable"));
  }

  @Test
  void aFaultTheSystemCannotTakeIsRefusedInOneLineNamingIt() {
    assertThatThrownBy(() -> options("partition,disk", Backend.DEFAULT, spec("etcd")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--nemesis disk: --db etcd supports")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> options("clock", Backend.DEFAULT, spec("etcd")))
        .hasMessageStartingWith("--nemesis clock: --db etcd")
        .hasMessageContaining("libfaketime")
        .hasMessageContaining("Go program");
  }

  @Test
  void everySystemKeepsItsOptionsInTheOrderItsSchemaGivesThemAndServesEveryWorkload() {
    for (String name : List.of("faultline", "etcd", "zookeeper", "redis")) {
      SystemUnderTest s = Systems.of(spec(name));
      assertThat(s.name()).isEqualTo(name);
      assertThat(s.workloads()).contains("kv", "register", "set", "churn");
    }
    assertThat(Systems.of(spec("faultline")).refusal(shape())).isEmpty();
    assertThat(Systems.of(spec("zookeeper")).faults())
        .contains(dev.faultline.testbed.plan.FaultKind.CLOCK)
        .doesNotContain(dev.faultline.testbed.plan.FaultKind.DISK);
  }

  private static SystemUnderTest.RunShape shape() {
    return new SystemUnderTest.RunShape(true, true, true, Optional.of("stale-read"), "grpc", 3);
  }

  @Test
  void whatOnlyOurNodeHasIsRefusedForOtherSystems() {
    assertThatThrownBy(() -> options("none", new Backend(true), spec("zookeeper")))
        .hasMessage("--tls: that is for --db faultline only; drop it for --db zookeeper");
  }

  @Test
  void unknownSystemsOptionsAndValuesAreRefused() {
    assertThatThrownBy(() -> Systems.of(spec("mongodb")))
        .hasMessageStartingWith("--db mongodb: unknown system; use faultline, etcd");
    assertThatThrownBy(() -> Systems.of(spec("etcd", "consistency=strong")))
        .hasMessage("--db-option consistency: --db etcd takes reads");
    assertThatThrownBy(() -> Systems.of(spec("zookeeper", "reads=linearizable")))
        .hasMessage("--db-option reads=linearizable: use sync or local");
    assertThatThrownBy(() -> Systems.of(spec("redis", "wait=many")))
        .hasMessage("--db-option wait=many: use a whole number from 0 to 252");
    assertThatThrownBy(() -> SystemSpec.parse("etcd", List.of("reads"), null))
        .hasMessageStartingWith("--db-option reads: write KEY=VALUE");
    assertThatThrownBy(() -> SystemSpec.parse("etcd", List.of("a=1", "a=2"), null))
        .hasMessage("--db-option a is given twice: give each option once");
  }

  @Test
  void redisRefusesAWaitForMoreReplicasThanTheClusterHas() {
    assertThatThrownBy(() -> options("none", Backend.DEFAULT, spec("redis", "wait=3")))
        .hasMessage("--db-option wait=3: a cluster of 3 has 2 replicas; use wait=0..2");
  }

  @Test
  void theProcessSystemNeedsItsCommandAndOnlyItTakesOne() {
    assertThatThrownBy(() -> Systems.of(spec("process")))
        .hasMessageStartingWith("--db process needs --db-cmd");
    assertThatThrownBy(() -> Systems.of(SystemSpec.parse("etcd", List.of(), "python3 x.py")))
        .hasMessageStartingWith("--db-cmd is for --db process only");
    assertThatThrownBy(
            () -> Systems.of(SystemSpec.parse("process", List.of(), "python3 node.py --id {id}")))
        .hasMessageContaining("use {http_port}");
  }
}
