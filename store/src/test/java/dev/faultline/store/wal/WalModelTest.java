package dev.faultline.store.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.raft.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random appends (some overwriting a suffix), syncs and reopens leave the durable log equal to a
 * plain list of entries, across segment rolls.
 */
class WalModelTest {

  sealed interface Op {}

  /** Append {@code count} entries starting {@code back} entries before the end. */
  record Append(int back, int count, int size, boolean newTerm) implements Op {}

  record Reopen() implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> append =
        Combinators.combine(
                Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(1, 15),
                Arbitraries.integers().between(0, 300),
                Arbitraries.of(true, false))
            .as(Append::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, append),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Reopen())))
        .list()
        .ofMaxSize(30);
  }

  @Property(tries = 60)
  void theLogMatchesAListModel(@ForAll("ops") List<Op> ops) throws IOException {
    Path dir = Files.createTempDirectory("wal-model");
    // A tail cache of a few entries, so reads cross from memory to the files at every size.
    WalOptions options = WalOptions.DEFAULT.withSegmentBytes(1024).withTailCacheBytes(700);
    List<Entry> model = new ArrayList<>();
    DurableLogStorage log = DurableLogStorage.open(dir, options);
    try {
      long term = 1;
      for (Op op : ops) {
        if (op instanceof Append a) {
          int start = Math.max(0, model.size() - a.back());
          if (a.newTerm() || start < model.size()) {
            term++; // an overwrite comes from a newer leader (§5.3)
          }
          List<Entry> batch = new ArrayList<>();
          for (int i = 0; i < a.count(); i++) {
            batch.add(WalRecoveryTest.entry(start + i + 1, term, a.size()));
          }
          log.append(batch);
          log.sync();
          model.subList(start, model.size()).clear();
          model.addAll(batch);
        } else {
          log.close();
          log = DurableLogStorage.open(dir, options);
        }
        assertThat(log.lastIndex()).isEqualTo(model.size());
        assertThat(WalRecoveryTest.readAll(log)).isEqualTo(model);
      }
    } finally {
      log.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
