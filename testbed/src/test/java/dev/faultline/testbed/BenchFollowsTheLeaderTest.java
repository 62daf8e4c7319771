package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faultline.api.config.NodeConfig;
import dev.faultline.api.node.FaultlineNode;
import dev.faultline.raft.Role;
import dev.faultline.testbed.OptionChecksTest.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code faultline bench} on a three-node cluster whose leader stops mid-run: the load finds the
 * new leader and goes on, as a client of the store would, instead of counting errors until the end.
 */
class BenchFollowsTheLeaderTest {
  private static final Pattern PUTS_OK =
      Pattern.compile("kv_operations_total\\{op=\"put\",outcome=\"ok\"\\} (\\d+)");
  private static final Pattern RESULT =
      Pattern.compile("RESULT .* ops_per_sec=(\\d+) .* leader_changes=(\\d+)");

  @TempDir Path tmp;
  private final List<FaultlineNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(FaultlineNode::close);
  }

  private Optional<FaultlineNode> leader() {
    return nodes.stream().filter(n -> n.status().role() == Role.LEADER).findFirst();
  }

  private static long putsServed(FaultlineNode node) {
    Matcher m = PUTS_OK.matcher(node.metrics().scrape());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "grpc"})
  void theLoadFollowsANewLeaderWhenTheOldOneStops(String protocol) throws Exception {
    List<NodeConfig> configs = TestNodes.configs(tmp, 3);
    for (NodeConfig c : configs) {
      nodes.add(FaultlineNode.start(c));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().isPresent());
    List<String> args =
        new ArrayList<>(
            List.of(
                "bench",
                "--protocol",
                protocol,
                "--mix",
                "put",
                "--in-flight",
                "8",
                "--duration",
                "12s",
                "--warmup",
                "0s"));
    for (NodeConfig c : configs) {
      args.add("--target");
      args.add(protocol.equals("http") ? "http://" + c.httpAddress() : c.grpcAddress());
    }
    CompletableFuture<Run> bench =
        CompletableFuture.supplyAsync(() -> OptionChecksTest.run(args.toArray(String[]::new)));

    FaultlineNode first = leader().orElseThrow();
    await().atMost(Duration.ofSeconds(60)).until(() -> putsServed(first) >= 50 || bench.isDone());
    assertThat(bench.isDone()).as(() -> "ended early: " + bench.join().out()).isFalse();
    first.close();
    nodes.remove(first);
    await().atMost(Duration.ofSeconds(20)).until(() -> leader().isPresent());
    FaultlineNode second = leader().orElseThrow();

    Run r = bench.get(60, TimeUnit.SECONDS);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    Matcher m = RESULT.matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    assertThat(Integer.parseInt(m.group(2))).as(r.out()).isPositive();
    assertThat(r.out())
        .contains("the leader moved")
        .contains(
            "to "
                + (protocol.equals("http")
                    ? "http://" + second.config().httpAddress()
                    : second.config().grpcAddress()));
    // The new leader served the load itself: the writes came to it, not through a redirect.
    assertThat(putsServed(second)).as(r.out()).isPositive();
  }
}
