package dev.faultline.workloads.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.OpType;
import dev.faultline.workloads.Command;
import dev.faultline.workloads.FakeStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortClientTest {

  /** A port that plays back scripted completions and remembers what it was asked. */
  private static final class Scripted implements KvPort {
    final Deque<Completion> replies = new ArrayDeque<>();
    final List<String> calls = new java.util.ArrayList<>();

    Scripted then(Completion c) {
      replies.add(c);
      return this;
    }

    @Override
    public Completion get(String key) {
      calls.add("get " + key);
      return replies.remove();
    }

    @Override
    public Completion put(String key, String value) {
      calls.add("put " + key + " " + value);
      return replies.remove();
    }

    @Override
    public Completion delete(String key) {
      calls.add("delete " + key);
      return replies.remove();
    }

    @Override
    public Completion cas(String key, String expected, String value) {
      calls.add("cas " + key + " " + expected + " " + value);
      return replies.remove();
    }
  }

  @Test
  void addRetriesWhenAnotherWriterWinsTheRace() {
    Scripted port =
        new Scripted()
            .then(Completion.ok(null, "n1"))
            .then(Completion.fail(KvPort.CAS_MISMATCH, "n1"))
            .then(Completion.ok("4", "n1"))
            .then(Completion.ok(null, "n1"));
    Completion c = new PortClient(port).execute(new Command.Add("s", 5));
    assertThat(c).isEqualTo(Completion.ok(5L, "n1"));
    assertThat(port.calls).containsExactly("get s", "cas s null 5", "get s", "cas s 4 4,5");
  }

  @Test
  void addThatKeepsLosingTheRaceFailsDefinitely() {
    Scripted port = new Scripted();
    for (int i = 0; i < 3; i++) {
      port.then(Completion.ok("1", "n2")).then(Completion.fail(KvPort.CAS_MISMATCH, "n2"));
    }
    Completion c = new PortClient(port, 3).execute(new Command.Add("s", 9));
    assertThat(c.type()).isEqualTo(OpType.FAIL);
    assertThat(c.error()).isEqualTo("add-contention");
  }

  @Test
  void addWhoseSwapHasUnknownOutcomeIsInfo() {
    Scripted port =
        new Scripted().then(Completion.ok("1", "n1")).then(Completion.info("timeout", "n1"));
    Completion c = new PortClient(port).execute(new Command.Add("s", 2));
    assertThat(c).isEqualTo(new Completion(OpType.INFO, 2L, "n1", "timeout"));
  }

  @Test
  void addWhoseReadFailsHadNoEffect() {
    Scripted port = new Scripted().then(Completion.info("timeout", "n3"));
    Completion c = new PortClient(port).execute(new Command.Add("s", 2));
    assertThat(c.type()).isEqualTo(OpType.FAIL);
    assertThat(c.error()).isEqualTo("add-read-timeout");
  }

  @Test
  void setReadKeepsDuplicatesAndOrder() {
    Scripted port = new Scripted().then(Completion.ok("3,1,3", "n1"));
    assertThat(new PortClient(port).execute(new Command.ReadSet("s")).value())
        .isEqualTo(List.of(3L, 1L, 3L));
  }

  @Test
  void nonIntegerRegisterValueIsKeptAsText() {
    Scripted port = new Scripted().then(Completion.ok("garbage", "n1"));
    assertThat(new PortClient(port).execute(new Command.Read("k")).value()).isEqualTo("garbage");
  }

  @Test
  void casOnTheFakeStoreSwapsOnlyFromTheExpectedValue() {
    FakeStore store = new FakeStore(1);
    Client client = store.clients().open(0);
    assertThat(client.execute(new Command.Cas("k", 1, 2)).type()).isEqualTo(OpType.FAIL);
    assertThat(client.execute(new Command.Write("k", 1)).type()).isEqualTo(OpType.OK);
    assertThat(client.execute(new Command.Cas("k", 1, 2)))
        .isEqualTo(Completion.ok(List.of(1L, 2L), "n0"));
    assertThat(store.current("k")).isEqualTo("2");
  }
}
