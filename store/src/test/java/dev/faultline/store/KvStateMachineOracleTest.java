package dev.faultline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Applying a random command sequence to a {@link KvStateMachine} matches a plain HashMap oracle,
 * with shard rebuilds (taking commands mid-copy) and snapshot restores interleaved.
 */
class KvStateMachineOracleTest {

  sealed interface Step {}

  record Apply(KvCommand command) implements Step {}

  /** Rebuild shard {@code shard}, applying the next {@code during} commands mid-copy. */
  record Rebuild(int shard, int during) implements Step {}

  record SnapshotRestore() implements Step {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<byte[]> keys =
        Arbitraries.integers().between(0, 40).map(i -> new byte[] {i.byteValue(), 7});
    Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(6);
    Arbitrary<Long> clients = Arbitraries.longs().between(0, 3);
    Arbitrary<Long> seqs = Arbitraries.longs().between(0, 6);
    Arbitrary<KvCommand> put =
        Combinators.combine(keys, values, clients, seqs).as(KvCommand.Put::new);
    Arbitrary<KvCommand> del = Combinators.combine(keys, clients, seqs).as(KvCommand.Delete::new);
    Arbitrary<KvCommand> cas =
        Combinators.combine(keys, values.injectNull(0.4), values, clients, seqs)
            .as(KvCommand.Cas::new);
    Arbitrary<Step> apply =
        Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, put),
                net.jqwik.api.Tuple.of(3, del),
                net.jqwik.api.Tuple.of(2, cas))
            .map(Apply::new);
    Arbitrary<Step> rebuild =
        Combinators.combine(
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 5))
            .as(Rebuild::new);
    Arbitrary<Step> restore = Arbitraries.just(new SnapshotRestore());
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(20, apply),
            net.jqwik.api.Tuple.of(3, rebuild),
            net.jqwik.api.Tuple.of(1, restore))
        .list()
        .ofMaxSize(120);
  }

  /** The specification, as plainly as it can be written. */
  static final class Oracle {
    final Map<String, byte[]> map = new HashMap<>();
    final Map<Long, long[]> lastSeq = new HashMap<>();
    final Map<Long, KvResult> lastResult = new HashMap<>();

    KvResult apply(KvCommand c) {
      if (c.clientId() != 0 && lastSeq.containsKey(c.clientId())) {
        long last = lastSeq.get(c.clientId())[0];
        if (c.seq() == last) {
          return lastResult.get(c.clientId());
        }
        if (c.seq() < last) {
          return null; // rejected: compared by type only
        }
      }
      String k = Arrays.toString(c.key());
      byte[] current = map.get(k);
      KvResult r;
      if (c instanceof KvCommand.Put p) {
        map.put(k, p.value());
        r = new KvResult.Done(current);
      } else if (c instanceof KvCommand.Delete) {
        map.remove(k);
        r = new KvResult.Done(current);
      } else {
        KvCommand.Cas cas = (KvCommand.Cas) c;
        boolean eq =
            cas.expected() == null ? current == null : Arrays.equals(cas.expected(), current);
        if (eq) {
          map.put(k, cas.value());
          r = new KvResult.Done(current);
        } else {
          r = new KvResult.CasMismatch(current);
        }
      }
      if (c.clientId() != 0) {
        lastSeq.put(c.clientId(), new long[] {c.seq()});
        lastResult.put(c.clientId(), r);
      }
      return r;
    }
  }

  @Property(tries = 300)
  void stateMachineMatchesTheOracle(@ForAll("steps") List<Step> steps) throws IOException {
    StoreOptions options = StoreOptions.DEFAULT.withShards(4).withAutoRebuild(false);
    KvStateMachine sm = new KvStateMachine(options);
    Oracle oracle = new Oracle();
    long[] index = {0};
    Deque<Step> queue = new ArrayDeque<>(steps);
    try {
      while (!queue.isEmpty()) {
        Step step = queue.poll();
        if (step instanceof Apply a) {
          check(sm, oracle, a.command(), ++index[0]);
        } else if (step instanceof Rebuild r) {
          KvStateMachine target = sm;
          sm.map()
              .setRebuildProbe(
                  shard -> {
                    for (int i = 0; i < r.during() && queue.peek() instanceof Apply a; i++) {
                      queue.poll();
                      check(target, oracle, a.command(), ++index[0]);
                    }
                  });
          assertThat(sm.map().rebuildNow(r.shard())).isTrue();
          sm.map().setRebuildProbe(null);
        } else {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          sm.writeSnapshot(out);
          KvStateMachine restored = new KvStateMachine(options);
          restored.restoreSnapshot(sm.appliedIndex(), new ByteArrayInputStream(out.toByteArray()));
          sm.close();
          sm = restored;
        }
        for (Map.Entry<String, byte[]> e : oracle.map.entrySet()) {
          assertThat(sm.get(parse(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(sm.map().size()).isEqualTo(oracle.map.size());
      }
    } finally {
      sm.close();
    }
  }

  private static void check(KvStateMachine sm, Oracle oracle, KvCommand c, long index) {
    KvResult expected = oracle.apply(c);
    KvResult actual = KvResult.decode(sm.apply(index, c.encode()));
    if (expected == null) {
      assertThat(actual).as(c.toString()).isInstanceOf(KvResult.Rejected.class);
    } else {
      assertThat(actual).as(c.toString()).isEqualTo(expected);
    }
  }

  private static byte[] parse(String arraysToString) {
    String[] parts = arraysToString.substring(1, arraysToString.length() - 1).split(", ");
    byte[] out = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Byte.parseByte(parts[i]);
    }
    return out;
  }
}
