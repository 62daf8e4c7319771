package dev.faultline.testbed.run;

import dev.faultline.histories.OpType;
import dev.faultline.workloads.Command;
import dev.faultline.workloads.client.Client;
import dev.faultline.workloads.client.Completion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A linearizable in-memory store behind the workload's client interface (one lock around every op),
 * or, with {@code staleReads}, one whose reads sometimes return the value before the latest write.
 * A node that is not running refuses connections.
 */
final class MemoryStore {
  private final Map<String, Object> values = new HashMap<>();
  private final Map<String, Object> previous = new HashMap<>();
  private final FakeCluster cluster;
  private final boolean staleReads;
  private long reads;

  MemoryStore(FakeCluster cluster, boolean staleReads) {
    this.cluster = cluster;
    this.staleReads = staleReads;
  }

  Client client(long process) {
    List<String> ids = cluster.nodeIds();
    String home = ids.get((int) (process % ids.size()));
    return command -> {
      if (!cluster.up(home)) {
        return Completion.fail("connect-refused", home);
      }
      return execute(command, home);
    };
  }

  private synchronized Completion execute(Command command, String node) {
    if (command instanceof Command.Read r) {
      Object v = values.get(r.key());
      if (staleReads && ++reads % 3 == 0 && previous.containsKey(r.key())) {
        v = previous.get(r.key());
      }
      return Completion.ok(v, node);
    }
    if (command instanceof Command.ReadSet r) {
      return Completion.ok(List.copyOf(set(r.key())), node);
    }
    if (command instanceof Command.Write w) {
      previous.put(w.key(), values.get(w.key()));
      values.put(w.key(), w.value());
      return Completion.ok(null, node);
    }
    if (command instanceof Command.Cas c) {
      if (!Objects.equals(values.get(c.key()), c.expected())) {
        return new Completion(OpType.FAIL, null, node, "cas-mismatch");
      }
      previous.put(c.key(), values.get(c.key()));
      values.put(c.key(), c.value());
      return Completion.ok(null, node);
    }
    Command.Add a = (Command.Add) command;
    List<Long> set = new ArrayList<>(set(a.key()));
    set.add(a.element());
    values.put(a.key(), set);
    return Completion.ok(null, node);
  }

  @SuppressWarnings("unchecked")
  private List<Long> set(String key) {
    return (List<Long>) values.getOrDefault(key, List.of());
  }
}
