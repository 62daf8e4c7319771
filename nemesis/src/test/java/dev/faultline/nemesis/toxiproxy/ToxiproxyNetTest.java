package dev.faultline.nemesis.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.nemesis.net.Grudge;
import dev.faultline.nemesis.net.Grudges;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToxiproxyNetTest {

  final RecordingProxies server = new RecordingProxies();
  final ProxyTopology topology =
      ProxyTopology.of(ProxyTopologyTest.members(3), ProxyPlacement.loopback(20000));

  ToxiproxyNet connect(ToxiproxyNet.PartitionStyle style) {
    return ToxiproxyNet.connect(server, topology, style);
  }

  @Test
  void connectCreatesOneProxyPerLink() {
    connect(ToxiproxyNet.PartitionStyle.REFUSE);
    assertThat(server.proxies.keySet())
        .containsExactly("n1-to-n2", "n1-to-n3", "n2-to-n1", "n2-to-n3", "n3-to-n1", "n3-to-n2");
    assertThat(server.proxies.get("n2-to-n3").proxy.upstream()).isEqualTo("10.0.0.3:7070");
  }

  @Test
  void connectWithoutAServerSaysHowToStartOne() {
    server.reachable = false;
    assertThatThrownBy(() -> connect(ToxiproxyNet.PartitionStyle.REFUSE))
        .hasMessageContaining("no Toxiproxy server answers")
        .hasMessageContaining("toxiproxy-server -host 127.0.0.1 -port 8474");
  }

  @Test
  void isolatingANodeDisablesEveryLinkIntoIt() {
    ToxiproxyNet net = connect(ToxiproxyNet.PartitionStyle.REFUSE);
    net.partition(Grudge.parse("n1:n2,n3"));
    assertThat(server.disabled()).containsExactly("n2-to-n1", "n3-to-n1");
    assertThat(net.current()).isEqualTo(Grudge.parse("n1:n2,n3"));
  }

  @Test
  void aNewPartitionReplacesTheOldAndHealEnablesEverything() {
    ToxiproxyNet net = connect(ToxiproxyNet.PartitionStyle.REFUSE);
    net.partition(Grudges.isolate(topology.ids(), "n1"));
    net.partition(Grudge.parse("n3:n2"));
    assertThat(server.disabled()).containsExactly("n2-to-n3");
    net.heal();
    assertThat(server.disabled()).isEmpty();
    assertThat(net.current()).isEqualTo(Grudge.NONE);
  }

  @Test
  void blackholeStylePlacesAndRemovesTimeoutToxicsOnCutLinksOnly() {
    ToxiproxyNet net = connect(ToxiproxyNet.PartitionStyle.BLACKHOLE);
    net.partition(Grudge.parse("n2:n1"));
    assertThat(server.disabled()).isEmpty();
    assertThat(server.proxies.get("n1-to-n2").toxics.values())
        .extracting(ToxicSpec::type, t -> t.attribute("timeout"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ToxicSpec.Type.TIMEOUT, 0L),
            org.assertj.core.groups.Tuple.tuple(ToxicSpec.Type.TIMEOUT, 0L));
    net.partition(Grudge.parse("n2:n1")); // the same grudge again adds nothing twice
    net.partition(Grudge.parse("n1:n3"));
    assertThat(server.proxies.get("n1-to-n2").toxics).isEmpty();
    assertThat(server.proxies.get("n3-to-n1").toxics).hasSize(2);
    net.heal();
    server.proxies.values().forEach(s -> assertThat(s.toxics).isEmpty());
  }

  @Test
  void aPartitionThatFailsOnALinkSaysWhichAndLeavesNoGrudgeRecorded() {
    ToxiproxyNet net = connect(ToxiproxyNet.PartitionStyle.REFUSE);
    server.failing = Set.of("n2-to-n1");
    assertThatThrownBy(() -> net.partition(Grudge.parse("n1:n2")))
        .hasMessageContaining("n2-to-n1")
        .hasMessageContaining("unreachable");
    assertThat(net.current()).isEqualTo(Grudge.NONE);
  }

  @Test
  void latencyFaultPutsJitteredLatencyOnBothStreamsOfEachLinkAndStopRemovesIt() {
    ToxiproxyNet net = connect(ToxiproxyNet.PartitionStyle.REFUSE);
    ToxicFault fault =
        ToxicFault.latency(
            List.of(new Link("n1", "n2"), new Link("n2", "n1")),
            Duration.ofMillis(200),
            Duration.ofMillis(50));
    ToxicOutcome started = net.start(fault);
    assertThat(started.ok()).isTrue();
    assertThat(started.f()).isEqualTo("start-latency");
    assertThat(started.value())
        .containsEntry("links", List.of("n1-to-n2", "n2-to-n1"))
        .containsEntry("latency-ms", 200L)
        .containsEntry("jitter-ms", 50L);
    for (String p : List.of("n1-to-n2", "n2-to-n1")) {
      assertThat(server.proxies.get(p).toxics.values())
          .extracting(ToxicSpec::stream)
          .containsExactly(ToxicSpec.Stream.UPSTREAM, ToxicSpec.Stream.DOWNSTREAM);
      assertThat(server.proxies.get(p).toxics.values())
          .allSatisfy(
              t -> {
                assertThat(t.type()).isEqualTo(ToxicSpec.Type.LATENCY);
                assertThat(t.attribute("latency")).isEqualTo(200);
                assertThat(t.attribute("jitter")).isEqualTo(50);
              });
    }
    assertThat(server.proxies.get("n1-to-n3").toxics).isEmpty();
    ToxicOutcome stopped = net.stop(fault);
    assertThat(stopped.ok()).isTrue();
    assertThat(stopped.f()).isEqualTo("stop-latency");
    server.proxies.values().forEach(s -> assertThat(s.toxics).isEmpty());
  }

  @Test
  void bandwidthFlakyAndSlowCloseMapOntoTheirToxics() {
    ToxiproxyNet net = connect(ToxiproxyNet.PartitionStyle.REFUSE);
    List<Link> links = List.of(new Link("n3", "n2"));
    net.start(ToxicFault.bandwidth(links, 64));
    net.start(ToxicFault.flaky(links, Duration.ofMillis(500), 0.3));
    net.start(ToxicFault.slowClose(links, Duration.ofSeconds(2)));
    var toxics = server.proxies.get("n3-to-n2").toxics;
    assertThat(toxics.get("faultline-bandwidth-upstream").attribute("rate")).isEqualTo(64);
    assertThat(toxics.get("faultline-bandwidth-downstream").attribute("rate")).isEqualTo(64);
    ToxicSpec reset = toxics.get("faultline-flaky-upstream");
    assertThat(reset.type()).isEqualTo(ToxicSpec.Type.RESET_PEER);
    assertThat(reset.attribute("timeout")).isEqualTo(500);
    assertThat(reset.toxicity()).isEqualTo(0.3);
    assertThat(toxics.get("faultline-slow-close-downstream").attribute("delay")).isEqualTo(2000);
    assertThat(toxics).hasSize(5);
  }

  @Test
  void aToxicFaultThatFailsReportsTheErrorInsteadOfThrowing() {
    ToxiproxyNet net = connect(ToxiproxyNet.PartitionStyle.REFUSE);
    server.failing = Set.of("n1-to-n3");
    ToxicOutcome outcome =
        net.start(ToxicFault.bandwidth(List.of(new Link("n1", "n2"), new Link("n1", "n3")), 10));
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.error().orElseThrow()).contains("n1-to-n3");
    assertThat(server.proxies.get("n1-to-n2").toxics).hasSize(2);
    ToxicOutcome unknownLink =
        net.start(ToxicFault.slowClose(List.of(new Link("n1", "n7")), Duration.ZERO));
    assertThat(unknownLink.error().orElseThrow()).contains("no link n1 -> n7");
  }

  @Test
  void healAllResetsTheServerAndCloseDeletesTheProxies() {
    ToxiproxyNet net = connect(ToxiproxyNet.PartitionStyle.REFUSE);
    net.partition(Grudge.parse("n1:n2"));
    net.start(
        ToxicFault.latency(List.of(new Link("n2", "n3")), Duration.ofMillis(5), Duration.ZERO));
    assertThat(net.healAll()).isEmpty();
    assertThat(server.disabled()).isEmpty();
    server.proxies.values().forEach(s -> assertThat(s.toxics).isEmpty());
    assertThat(net.current()).isEqualTo(Grudge.NONE);
    net.close();
    assertThat(server.proxies).isEmpty();
  }

  @Test
  void faultsRefuseNonsenseParameters() {
    List<Link> links = List.of(new Link("n1", "n2"));
    assertThatThrownBy(() -> ToxicFault.flaky(links, Duration.ZERO, 0))
        .hasMessageContaining("probability 0.0 must be in (0, 1]");
    assertThatThrownBy(() -> ToxicFault.latency(links, Duration.ofMillis(-1), Duration.ZERO))
        .hasMessageContaining("latency must not be negative");
    assertThatThrownBy(() -> ToxicFault.bandwidth(List.of(), 1)).hasMessageContaining("no links");
    assertThatThrownBy(() -> new Link("n1", "n1")).hasMessageContaining("to itself");
    assertThat(ToxicFault.slowClose(links, Duration.ZERO).targets()).containsExactly("n1", "n2");
  }
}
