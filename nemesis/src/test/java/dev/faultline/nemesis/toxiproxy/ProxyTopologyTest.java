package dev.faultline.nemesis.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.nemesis.net.Grudge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ProxyTopologyTest {

  static List<Member> members(int n) {
    List<Member> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(
          new Member(
              "n" + i, "10.0.0." + i + ":7070", "10.0.0." + i + ":8080", "10.0.0." + i + ":9090"));
    }
    return out;
  }

  /** Parses a peers line into id → (peer, http, grpc). */
  static Map<String, Map<String, String>> parse(String line) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String entry : line.split(",")) {
      String id = entry.substring(0, entry.indexOf('='));
      Map<String, String> parts = new HashMap<>();
      for (String part : entry.substring(id.length() + 1).split(";")) {
        parts.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
      }
      assertThat(out.put(id, parts)).as("entry %s given once", id).isNull();
    }
    return out;
  }

  @Property(tries = 50)
  void oneProxyPerDirectedLinkOnDistinctPorts(@ForAll @IntRange(min = 2, max = 30) int n) {
    ProxyTopology t = ProxyTopology.of(members(n), ProxyPlacement.loopback(20000));
    assertThat(t.proxies()).hasSize(n * (n - 1));
    Set<String> names = new HashSet<>();
    Set<String> listens = new HashSet<>();
    for (LinkProxy p : t.proxies()) {
      assertThat(names.add(p.name())).isTrue();
      assertThat(listens.add(p.listen())).isTrue();
      assertThat(p.name()).isEqualTo(p.link().from() + "-to-" + p.link().to());
      assertThat(p.dial()).isEqualTo(p.listen());
      assertThat(p.upstream()).isEqualTo(t.member(p.link().to()).peer());
    }
  }

  @Property(tries = 50)
  void eachNodeReachesEveryPeerThroughTheProxyOfThatLinkAndItselfDirectly(
      @ForAll @IntRange(min = 2, max = 20) int n) {
    ProxyTopology t = ProxyTopology.of(members(n), ProxyPlacement.container("toxiproxy", 30000));
    for (Member self : t.members()) {
      Map<String, Map<String, String>> peers = parse(t.peersLine(self.id()));
      assertThat(peers.keySet()).containsExactlyElementsOf(t.ids());
      for (Member m : t.members()) {
        Map<String, String> entry = peers.get(m.id());
        String expected = m.equals(self) ? m.peer() : t.proxy(self.id(), m.id()).dial();
        assertThat(entry.get("peer")).isEqualTo(expected);
        assertThat(entry.get("http"))
            .as("client addresses never go through a proxy")
            .isEqualTo(m.http());
        assertThat(entry.get("grpc")).isEqualTo(m.grpc());
        if (!m.equals(self)) {
          assertThat(expected).startsWith("toxiproxy:");
          assertThat(t.proxy(self.id(), m.id()).listen()).startsWith("0.0.0.0:");
        }
      }
    }
  }

  @Provide
  Arbitrary<Grudge> grudges() {
    List<String> ids = List.of("n1", "n2", "n3", "n4", "n5");
    Arbitrary<Set<String>> froms = Arbitraries.of(ids).set().ofMaxSize(4);
    return Combinators.combine(froms, froms, froms, froms, froms)
        .as(
            (a, b, c, d, e) -> {
              Map<String, Set<String>> drops = new HashMap<>();
              List<Set<String>> sets = List.of(a, b, c, d, e);
              for (int i = 0; i < ids.size(); i++) {
                Set<String> from = new HashSet<>(sets.get(i));
                from.remove(ids.get(i));
                drops.put(ids.get(i), from);
              }
              return new Grudge(drops);
            });
  }

  @Property(tries = 200)
  void aGrudgeCutsExactlyTheLinksCarryingWhatTheDeafNodesMustNotHear(
      @ForAll("grudges") Grudge grudge) {
    ProxyTopology t = ProxyTopology.of(members(5), ProxyPlacement.loopback(20000));
    Set<Link> cut = t.cutBy(grudge);
    for (LinkProxy p : t.proxies()) {
      assertThat(cut.contains(p.link()))
          .as("link %s", p.name())
          .isEqualTo(grudge.cuts(p.link().from(), p.link().to()));
    }
  }

  @Test
  void portsFollowTheBasePlusHundredTimesFromPlusTo() {
    ProxyTopology t = ProxyTopology.of(members(3), ProxyPlacement.loopback(20000));
    assertThat(t.proxy("n1", "n2").listen()).isEqualTo("127.0.0.1:20102");
    assertThat(t.proxy("n3", "n1").listen()).isEqualTo("127.0.0.1:20301");
  }

  @Test
  void refusesTopologiesItCannotNumber() {
    assertThatThrownBy(() -> ProxyTopology.of(members(1), ProxyPlacement.loopback(20000)))
        .hasMessageContaining("2..99 members");
    assertThatThrownBy(() -> ProxyTopology.of(members(20), ProxyPlacement.loopback(64000)))
        .hasMessageContaining("use a base port of at most");
    assertThatThrownBy(
            () -> ProxyTopology.of(members(3), ProxyPlacement.loopback(20000)).proxy("n1", "n9"))
        .hasMessageContaining("no link n1 -> n9");
    assertThatThrownBy(() -> new Member("n1", "nohost", null, null))
        .hasMessageContaining("HOST:PORT");
  }

  /**
   * The compose file's peer lines and Toxiproxy config are this topology, placed in a container.
   */
  @Test
  void composeFilesMatchTheTopologyOfThreeNodesBehindAToxiproxyContainer() throws Exception {
    Path root = Path.of(System.getProperty("faultline.root", ".")).toAbsolutePath();
    Path compose = root.resolve("docker-compose.yml");
    Assumptions.assumeTrue(Files.exists(compose), "no docker-compose.yml under " + root);
    List<Member> members = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      members.add(new Member("n" + i, "n" + i + ":7070", "127.0.0.1:808" + i, "127.0.0.1:909" + i));
    }
    ProxyTopology t = ProxyTopology.of(members, ProxyPlacement.container("toxiproxy", 20000));
    Matcher m = Pattern.compile("FAULTLINE_PEERS: \"([^\"]+)\"").matcher(Files.readString(compose));
    List<String> lines = new ArrayList<>();
    while (m.find()) {
      lines.add(m.group(1));
    }
    assertThat(lines).containsExactly(t.peersLine("n1"), t.peersLine("n2"), t.peersLine("n3"));
    JsonNode config =
        new ObjectMapper().readTree(root.resolve("deploy/toxiproxy/toxiproxy.json").toFile());
    List<String> fromFile = new ArrayList<>();
    config.forEach(
        p ->
            fromFile.add(
                p.path("name").asText()
                    + " "
                    + p.path("listen").asText()
                    + " "
                    + p.path("upstream").asText()));
    assertThat(fromFile)
        .containsExactlyElementsOf(
            t.proxies().stream()
                .map(p -> p.name() + " " + p.listen() + " " + p.upstream())
                .toList());
  }
}
