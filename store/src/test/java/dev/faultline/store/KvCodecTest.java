package dev.faultline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KvCodecTest {

  @Provide
  Arbitrary<KvCommand> commands() {
    Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(20);
    Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    Arbitrary<byte[]> expected = values.injectNull(0.3);
    Arbitrary<Long> ids = Arbitraries.longs();
    Arbitrary<KvCommand> put = Combinators.combine(keys, values, ids, ids).as(KvCommand.Put::new);
    Arbitrary<KvCommand> del = Combinators.combine(keys, ids, ids).as(KvCommand.Delete::new);
    Arbitrary<KvCommand> cas =
        Combinators.combine(keys, expected, values, ids, ids).as(KvCommand.Cas::new);
    return Arbitraries.oneOf(put, del, cas);
  }

  @Provide
  Arbitrary<KvResult> results() {
    Arbitrary<byte[]> values =
        Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.3);
    return Arbitraries.oneOf(
        values.map(KvResult.Done::new),
        values.map(KvResult.CasMismatch::new),
        Arbitraries.strings().ofMaxLength(30).map(KvResult.Rejected::new));
  }

  @Property
  void commandsRoundTrip(@ForAll("commands") KvCommand c) {
    assertThat(KvCommand.decode(c.encode())).isEqualTo(c);
  }

  @Property
  void everyTruncatedOrExtendedCommandIsRefused(@ForAll("commands") KvCommand c) {
    byte[] enc = c.encode();
    for (int n = 0; n < enc.length; n++) {
      byte[] prefix = Arrays.copyOf(enc, n);
      assertThatThrownBy(() -> KvCommand.decode(prefix)).isInstanceOf(CommandFormatException.class);
    }
    byte[] longer = Arrays.copyOf(enc, enc.length + 1);
    assertThatThrownBy(() -> KvCommand.decode(longer))
        .isInstanceOf(CommandFormatException.class)
        .hasMessageContaining("trailing");
  }

  @Property
  void resultsRoundTrip(@ForAll("results") KvResult r) {
    assertThat(KvResult.decode(r.encode())).isEqualTo(r);
  }

  @Property
  void queriesAndAnswersRoundTrip(
      @ForAll byte[] key, @ForAll("results") KvResult unused, @ForAll boolean absent) {
    assertThat(KvQuery.decode(new KvQuery(key).encode())).isEqualTo(new KvQuery(key));
    byte[] value = absent ? null : key;
    assertThat(KvQuery.decodeResult(KvQuery.encodeResult(value))).isEqualTo(value);
  }

  @Test
  void emptyValueAndAbsentAreDistinctAnswers() {
    assertThat(KvQuery.decodeResult(KvQuery.encodeResult(new byte[0]))).isEmpty();
    assertThat(KvQuery.decodeResult(KvQuery.encodeResult(null))).isNull();
  }

  @Test
  void casWithAbsentExpectedDiffersFromEmptyExpected() {
    byte[] k = {1};
    byte[] v = {2};
    KvCommand absent = new KvCommand.Cas(k, null, v, 0, 0);
    KvCommand empty = new KvCommand.Cas(k, new byte[0], v, 0, 0);
    assertThat(KvCommand.decode(absent.encode())).isEqualTo(absent).isNotEqualTo(empty);
    assertThat(((KvCommand.Cas) KvCommand.decode(empty.encode())).expected()).isEmpty();
  }

  @Test
  void unknownVersionIsRefusedWithTheVersion() {
    byte[] enc = new KvCommand.Delete(new byte[] {1}, 0, 0).encode();
    enc[0] = 9;
    assertThatThrownBy(() -> KvCommand.decode(enc))
        .isInstanceOf(CommandFormatException.class)
        .hasMessageContaining("version 9")
        .hasMessageContaining("at byte 0");
  }

  @Test
  void unknownTagIsRefused() {
    byte[] enc = new KvCommand.Delete(new byte[] {1}, 0, 0).encode();
    enc[1] = 7;
    assertThatThrownBy(() -> KvCommand.decode(enc))
        .isInstanceOf(CommandFormatException.class)
        .hasMessageContaining("unknown command tag 7");
  }

  @Test
  void negativeOrOversizedLengthsAreRefusedNotAllocated() {
    byte[] enc = new KvCommand.Delete(new byte[] {1}, 0, 0).encode();
    enc[18] = (byte) 0x80; // key length becomes negative
    assertThatThrownBy(() -> KvCommand.decode(enc))
        .isInstanceOf(CommandFormatException.class)
        .hasMessageContaining("negative length");
    byte[] big = new KvCommand.Delete(new byte[] {1}, 0, 0).encode();
    big[18] = 0x7f;
    assertThatThrownBy(() -> KvCommand.decode(big))
        .isInstanceOf(CommandFormatException.class)
        .hasMessageContaining("remain");
  }

  @Test
  void nullAndEmptyInputAreRefused() {
    assertThatThrownBy(() -> KvCommand.decode(null)).isInstanceOf(CommandFormatException.class);
    assertThatThrownBy(() -> KvResult.decode(new byte[0]))
        .isInstanceOf(CommandFormatException.class);
    assertThatThrownBy(() -> KvQuery.decodeResult(new byte[] {5}))
        .isInstanceOf(CommandFormatException.class);
  }
}
