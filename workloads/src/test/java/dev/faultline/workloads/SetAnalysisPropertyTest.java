package dev.faultline.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * SetAnalysis against an oracle: a sequential script of adds and reads over a stored list into
 * which faults are planted (acknowledged adds dropped, failed adds applied, elements stored twice,
 * elements nobody added); the analysis must find exactly the planted faults.
 */
class SetAnalysisPropertyTest {

  @Property(tries = 200)
  void findsExactlyThePlantedFaults(@ForAll long seed, @ForAll @IntRange(max = 200) int steps) {
    Random random = new Random(seed);
    HistoryBuilder b = new HistoryBuilder();
    List<Long> stored = new ArrayList<>();
    TreeSet<Long> lost = new TreeSet<>();
    TreeSet<Long> unexpected = new TreeSet<>();
    TreeSet<Long> duplicated = new TreeSet<>();
    TreeSet<Long> recovered = new TreeSet<>();
    long process = 0;
    long element = 0;
    for (int i = 0; i < steps; i++) {
      int action = random.nextInt(100);
      if (action < 15) {
        read(b, process, stored);
        continue;
      }
      long e = element++;
      OpType outcome;
      if (action < 60) {
        outcome = OpType.OK;
        stored.add(e);
      } else if (action < 65) {
        outcome = OpType.OK;
        lost.add(e);
      } else if (action < 75) {
        outcome = OpType.FAIL;
      } else if (action < 78) {
        outcome = OpType.FAIL;
        stored.add(e);
        unexpected.add(e);
      } else if (action < 90) {
        outcome = OpType.INFO;
        if (random.nextBoolean()) {
          stored.add(e);
          recovered.add(e);
        }
      } else if (action < 94) {
        outcome = OpType.OK;
        stored.add(e);
        stored.add(e);
        duplicated.add(e);
      } else {
        outcome = OpType.OK;
        stored.add(e);
        long stray = 1_000_000 + e;
        stored.add(stray);
        unexpected.add(stray);
      }
      b.add(new Op(b.size(), b.size(), process, OpType.INVOKE, "add", "s", e, null, null));
      b.add(new Op(b.size(), b.size(), process, outcome, "add", "s", e, null, null));
      if (outcome == OpType.INFO) {
        process++;
      }
    }
    read(b, process, stored);

    SetAnalysis a = SetAnalysis.of(b.build());
    assertThat(a.lost()).containsExactlyElementsOf(lost);
    assertThat(a.unexpected()).containsExactlyElementsOf(unexpected);
    assertThat(a.duplicated()).containsExactlyElementsOf(duplicated);
    assertThat(a.recovered()).containsExactlyElementsOf(recovered);
    assertThat(a.unchecked()).isEmpty();
    assertThat(a.valid()).isEqualTo(lost.isEmpty() && unexpected.isEmpty() && duplicated.isEmpty());
  }

  private static void read(HistoryBuilder b, long process, List<Long> stored) {
    b.add(new Op(b.size(), b.size(), process, OpType.INVOKE, "read", "s", null, null, null));
    b.add(
        new Op(
            b.size(), b.size(), process, OpType.OK, "read", "s", List.copyOf(stored), null, null));
  }
}
