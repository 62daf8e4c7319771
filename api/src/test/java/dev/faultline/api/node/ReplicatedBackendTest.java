package dev.faultline.api.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.api.BackendFailure;
import dev.faultline.api.ClusterStatus;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.Session;
import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import dev.faultline.store.KvStateMachine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplicatedBackendTest {

  /** A single-node "replica" that applies at once to a real state machine, or plays follower. */
  static final class LocalReplica implements Replica {
    final KvStateMachine machine = new KvStateMachine();
    final AtomicLong index = new AtomicLong();
    volatile String leader = "n1";

    @Override
    public CompletableFuture<byte[]> propose(byte[] command) {
      if (!"n1".equals(leader)) {
        return notLeader();
      }
      return CompletableFuture.completedFuture(machine.apply(index.incrementAndGet(), command));
    }

    @Override
    public CompletableFuture<byte[]> read(byte[] query) {
      if (!"n1".equals(leader)) {
        return notLeader();
      }
      return CompletableFuture.completedFuture(machine.query(query));
    }

    private <T> CompletableFuture<T> notLeader() {
      return CompletableFuture.failedFuture(
          new BackendFailure.NotLeader(
              "n1", leader == null ? null : new NodeAddress(leader, null, null, null)));
    }

    @Override
    public View view() {
      return new View(
          "n1",
          leader,
          2,
          "n1".equals(leader) ? "leader" : "follower",
          index.get(),
          machine.appliedIndex(),
          List.of("n1", "n2"),
          Map.of());
    }
  }

  final NodeConfig config =
      ConfigSources.fromOptions(
          Map.of("id", "n1", "peers", "n1=10.0.0.1:7070,n2=10.0.0.2:7070;http=10.0.0.2:8081"));
  final LocalReplica replica = new LocalReplica();
  final ReplicatedBackend backend = new ReplicatedBackend(replica, config::peer);

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void operationsGoThroughTheStoreCommands() {
    backend.put(b("k"), b("v"), Session.NONE).join();
    assertThat(backend.get(b("k")).join()).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("v")));
    assertThat(backend.cas(b("k"), b("x"), b("w"), Session.NONE).join().current())
        .isEqualTo(b("v"));
    assertThat(backend.cas(b("k"), b("v"), b("w"), Session.NONE).join().swapped()).isTrue();
    assertThat(backend.cas(b("new"), null, b("1"), Session.NONE).join().swapped()).isTrue();
    backend.delete(b("k"), Session.NONE).join();
    assertThat(backend.get(b("k")).join()).isEmpty();
  }

  @Test
  void aRepeatedSessionWriteIsAppliedOnce() {
    Session s = new Session(5, 1);
    backend.put(b("k"), b("first"), s).join();
    backend.put(b("k"), b("second"), new Session(6, 1)).join();
    backend.put(b("k"), b("first"), s).join();
    assertThat(backend.get(b("k")).join())
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(b("second")));
  }

  @Test
  void aFollowerNamesTheLeadersClientAddresses() {
    replica.leader = "n2";
    assertThatThrownBy(() -> backend.put(b("k"), b("v"), Session.NONE).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            BackendFailure.NotLeader.class,
            e -> {
              assertThat(e.leader().http()).isEqualTo("10.0.0.2:8081");
              assertThat(e.leader().grpc()).isEqualTo("10.0.0.2:9090");
            });
    replica.leader = null;
    assertThat(backend.isReady()).isFalse();
  }

  @Test
  void clusterStatusListsEveryMember() {
    ClusterStatus status = backend.clusterStatus();
    assertThat(status.leaderId()).isEqualTo("n1");
    assertThat(status.members()).extracting(ClusterStatus.Member::id).containsExactly("n1", "n2");
    assertThat(status.members().get(1).http()).isEqualTo("10.0.0.2:8081");
  }
}
