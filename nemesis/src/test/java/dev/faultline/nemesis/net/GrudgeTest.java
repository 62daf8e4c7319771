package dev.faultline.nemesis.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GrudgeTest {

  @Test
  void parsesReceiversAndTheNodesTheyDrop() {
    Grudge g = Grudge.parse("n1:n2,n3;n4:n5");
    assertThat(g.dropsFrom("n1")).containsExactly("n2", "n3");
    assertThat(g.dropsFrom("n4")).containsExactly("n5");
    assertThat(g.dropsFrom("n2")).isEmpty();
    assertThat(g.cuts("n2", "n1")).isTrue();
    assertThat(g.cuts("n1", "n2")).isFalse();
  }

  @Test
  void ignoresWhitespaceAndEmptyEntriesAndMergesRepeatedReceivers() {
    assertThat(Grudge.parse(" n1 : n2 ; ; n1:n3 ")).isEqualTo(Grudge.parse("n1:n2,n3"));
    assertThat(Grudge.parse("")).isEqualTo(Grudge.NONE);
  }

  @Test
  void printsTheTextItParses() {
    assertThat(Grudge.parse("n4:n5;n1:n3,n2")).hasToString("n1:n2,n3;n4:n5");
  }

  @Test
  void rejectsAnEntryWithoutAColonNamingItsColumn() {
    assertThatThrownBy(() -> Grudge.parse("n1:n2;n3n4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "grudge 'n1:n2;n3n4' at column 7: expected NODE:NODE[,NODE...], found n3n4"
                + " (write it as n1:n2,n3;n4:n5)");
  }

  @Test
  void rejectsAnEmptySender() {
    assertThatThrownBy(() -> Grudge.parse("n1:n2,"))
        .hasMessageContaining("at column 1: expected a node id like n1, found nothing");
  }

  @Test
  void rejectsANodeDroppingItself() {
    assertThatThrownBy(() -> Grudge.parse("n1:n1"))
        .hasMessageContaining("expected a node other than n1, found n1");
    assertThatThrownBy(() -> new Grudge(Map.of("n1", Set.of("n1"))))
        .hasMessage("grudge: node n1 cannot drop itself");
  }

  @Test
  void rejectsAStrayCharacterInANodeId() {
    assertThatThrownBy(() -> Grudge.parse("n1:n2 n3"))
        .hasMessageContaining("expected a node id like n1, found 'n2 n3'");
  }

  @Test
  void historyValueListsSortedSenders() {
    assertThat(Grudge.parse("n2:n3,n1").asValue()).isEqualTo(Map.of("n2", List.of("n1", "n3")));
  }
}
