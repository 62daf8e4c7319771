package dev.faultline.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  private static List<Command> take(Generator g, int n) {
    List<Command> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(g.next());
    }
    return out;
  }

  @Property(tries = 50)
  void sameSeedGivesSameOpSequence(
      @ForAll long seed,
      @ForAll("workloadName") String workload,
      @ForAll @IntRange(max = 2000) int n) {
    Workload w = Workload.named(workload);
    WorkloadOptions o = WorkloadOptions.defaults().withOpsPerKey(17).withSetKeys(3);
    Generator a = w.generator(seed, o);
    Generator b = w.generator(seed, o);
    assertThat(take(a, n)).isEqualTo(take(b, n));
    assertThat(a.finalReads()).isEqualTo(b.finalReads());
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> workloadName() {
    return net.jqwik.api.Arbitraries.of(Workload.names());
  }

  @Test
  void differentSeedsGiveDifferentSequences() {
    Workload w = Workload.named("kv");
    assertThat(take(w.generator(1, WorkloadOptions.defaults()), 100))
        .isNotEqualTo(take(w.generator(2, WorkloadOptions.defaults()), 100));
  }

  @Property(tries = 50)
  void kvKeysAreRetiredAfterTheirOpBudget(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 8) int live,
      @ForAll @IntRange(min = 1, max = 50) int budget,
      @ForAll @IntRange(max = 3000) int n) {
    WorkloadOptions o = WorkloadOptions.defaults().withLiveKeys(live).withOpsPerKey(budget);
    List<Command> ops = take(new KvWorkload().generator(seed, o), n);
    Map<String, Integer> count = new HashMap<>();
    Map<String, Integer> last = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      count.merge(ops.get(i).key(), 1, Integer::sum);
      last.put(ops.get(i).key(), i);
    }
    assertThat(count.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(budget));
    // Only the keys still live at the end may have budget left.
    assertThat(count.values().stream().filter(c -> c < budget).count()).isLessThanOrEqualTo(live);
    // A key whose budget is spent never receives another op.
    Set<String> open = new HashSet<>();
    for (int i = 0; i < ops.size(); i++) {
      String key = ops.get(i).key();
      open.add(key);
      if (last.get(key) == i && count.get(key) == budget) {
        open.remove(key);
      }
      assertThat(open.size()).isLessThanOrEqualTo(live);
    }
  }

  @Property(tries = 50)
  void finalReadsCoverEveryTouchedKeyOnce(
      @ForAll long seed,
      @ForAll("workloadName") String workload,
      @ForAll @IntRange(max = 3000) int n) {
    WorkloadOptions o = WorkloadOptions.defaults().withOpsPerKey(13).withSetKeys(4);
    Generator g = Workload.named(workload).generator(seed, o);
    Set<String> touched = new LinkedHashSet<>();
    for (Command c : take(g, n)) {
      touched.add(c.key());
    }
    List<Command> reads = g.finalReads();
    assertThat(reads).extracting(Command::key).containsExactlyElementsOf(touched);
    assertThat(reads).allSatisfy(c -> assertThat(c.f()).isEqualTo("read"));
  }

  @Property(tries = 30)
  void setAddsCarryUniqueElements(@ForAll long seed, @ForAll @IntRange(max = 3000) int n) {
    Set<Long> seen = new HashSet<>();
    for (Command c : take(new SetWorkload().generator(seed, WorkloadOptions.defaults()), n)) {
      if (c instanceof Command.Add add) {
        assertThat(seen.add(add.element())).as("element %d added once", add.element()).isTrue();
      }
    }
  }

  @Property(tries = 30)
  void setKeysAreRetiredAfterTheirAddBudget(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int live,
      @ForAll @IntRange(min = 1, max = 40) int budget) {
    WorkloadOptions o = WorkloadOptions.defaults().withSetKeys(live).withOpsPerKey(budget);
    Map<String, Integer> adds = new HashMap<>();
    for (Command c : take(new SetWorkload().generator(seed, o), 2000)) {
      if (c instanceof Command.Add) {
        adds.merge(c.key(), 1, Integer::sum);
      }
    }
    assertThat(adds.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(budget));
    assertThat(adds.values().stream().filter(n -> n < budget).count()).isLessThanOrEqualTo(live);
  }

  @Property(tries = 30)
  void registerOpsUseOneKeyAndSmallValues(@ForAll long seed) {
    for (Command c :
        take(new RegisterWorkload().generator(seed, WorkloadOptions.defaults()), 500)) {
      assertThat(c.key()).isEqualTo("r");
      if (c instanceof Command.Write w) {
        assertThat(w.value()).isBetween(0L, 4L);
      } else if (c instanceof Command.Cas cas) {
        assertThat(cas.expected()).isBetween(0L, 4L);
        assertThat(cas.value()).isBetween(0L, 4L);
      }
    }
  }

  @Test
  void untouchedGeneratorHasNoFinalReads() {
    for (String name : Workload.names()) {
      assertThat(Workload.named(name).generator(7, WorkloadOptions.defaults()).finalReads())
          .as(name)
          .isEmpty();
    }
  }

  @Test
  void unknownWorkloadNamesTheKnownOnes() {
    assertThatThrownBy(() -> Workload.named("bank"))
        .hasMessage("unknown workload 'bank'; choose one of kv, register, set, churn");
  }

  @Test
  void invalidOptionIsNamed() {
    assertThatThrownBy(() -> WorkloadOptions.defaults().withOpsPerKey(0))
        .hasMessage("workload option opsPerKey must be at least 1, was 0");
  }

  @Property(tries = 30)
  void churnLiveKeysSwingBetweenTroughAndCrestAndEveryChangeIsReadBack(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 4000) int n) {
    ChurnWorkload w = new ChurnWorkload(40, 10, 8);
    List<Command> ops = take(w.generator(seed, WorkloadOptions.defaults()), n);
    Set<String> live = new HashSet<>();
    int peak = 0;
    Map<String, Integer> changedAt = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      Command c = ops.get(i);
      if (c instanceof Command.Write) {
        assertThat(live.add(c.key())).as("a live key is not written again").isTrue();
        changedAt.put(c.key(), i);
      } else if (c instanceof Command.Delete) {
        assertThat(live.remove(c.key())).as("only live keys are deleted").isTrue();
        assertThat(live.size()).isGreaterThanOrEqualTo(10);
        changedAt.put(c.key(), i);
      } else {
        assertThat(c).isInstanceOf(Command.Read.class);
        assertThat(changedAt).containsKey(c.key());
        assertThat(i - changedAt.get(c.key())).isGreaterThanOrEqualTo(8);
      }
      assertThat(live.size()).isLessThanOrEqualTo(40);
      peak = Math.max(peak, live.size());
    }
    assertThat(w.generator(seed, WorkloadOptions.defaults()).finalReads()).isEmpty();
    if (n > 200) {
      assertThat(peak).isEqualTo(40);
    }
  }

  @Test
  void churnRefusesATroughAtOrAboveItsCrest() {
    assertThatThrownBy(() -> new ChurnWorkload(10, 10, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("low < high");
  }
}
