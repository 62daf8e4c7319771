package dev.faultline.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {
  private final KvStateMachine sm = new KvStateMachine();
  private long index;

  @AfterEach
  void close() {
    sm.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private KvResult apply(KvCommand c) {
    return KvResult.decode(sm.apply(++index, c.encode()));
  }

  private byte[] read(byte[] key) {
    return KvQuery.decodeResult(sm.query(new KvQuery(key).encode()));
  }

  @Test
  void putGetDeleteReturnPreviousValues() {
    assertThat(apply(new KvCommand.Put(b("k"), b("v1"), 0, 0))).isEqualTo(new KvResult.Done(null));
    assertThat(apply(new KvCommand.Put(b("k"), b("v2"), 0, 0)))
        .isEqualTo(new KvResult.Done(b("v1")));
    assertThat(read(b("k"))).isEqualTo(b("v2"));
    assertThat(apply(new KvCommand.Delete(b("k"), 0, 0))).isEqualTo(new KvResult.Done(b("v2")));
    assertThat(read(b("k"))).isNull();
    assertThat(apply(new KvCommand.Delete(b("k"), 0, 0))).isEqualTo(new KvResult.Done(null));
    assertThat(sm.appliedIndex()).isEqualTo(4);
  }

  @Test
  void casSwapsOnlyOnEqualValueAndExpressesAbsent() {
    assertThat(apply(new KvCommand.Cas(b("k"), b("x"), b("1"), 0, 0)))
        .isEqualTo(new KvResult.CasMismatch(null));
    assertThat(apply(new KvCommand.Cas(b("k"), null, b("1"), 0, 0)))
        .isEqualTo(new KvResult.Done(null));
    assertThat(apply(new KvCommand.Cas(b("k"), null, b("2"), 0, 0)))
        .isEqualTo(new KvResult.CasMismatch(b("1")));
    assertThat(apply(new KvCommand.Cas(b("k"), b("1"), b("2"), 0, 0)))
        .isEqualTo(new KvResult.Done(b("1")));
    assertThat(read(b("k"))).isEqualTo(b("2"));
  }

  @Test
  void emptyValueIsPresentAndDistinctFromAbsent() {
    apply(new KvCommand.Put(b("k"), new byte[0], 0, 0));
    assertThat(read(b("k"))).isEmpty();
    assertThat(apply(new KvCommand.Cas(b("k"), null, b("x"), 0, 0)))
        .isEqualTo(new KvResult.CasMismatch(new byte[0]));
  }

  @Test
  void binaryKeysAndValuesAreStoredExactly() {
    byte[] key = {0, -1, 10, 13, 0, 127, -128};
    byte[] value = new byte[256];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    apply(new KvCommand.Put(key, value, 0, 0));
    assertThat(read(key)).isEqualTo(value);
    assertThat(read(new byte[] {0, -1, 10, 13, 0, 127})).isNull();
  }

  @Test
  void oversizeKeysAndValuesAreRejectedWithoutEffect() {
    KvStateMachine small =
        new KvStateMachine(StoreOptions.DEFAULT.withLimits(new StoreLimits(4, 8)));
    try {
      KvResult r =
          KvResult.decode(small.apply(1, new KvCommand.Put(b("12345"), b("v"), 0, 0).encode()));
      assertThat(r).isInstanceOf(KvResult.Rejected.class);
      assertThat(((KvResult.Rejected) r).reason())
          .contains("key of 5 bytes exceeds the limit of 4");
      KvResult v =
          KvResult.decode(small.apply(2, new KvCommand.Put(b("k"), new byte[9], 0, 0).encode()));
      assertThat(((KvResult.Rejected) v).reason()).contains("value of 9 bytes");
      KvResult e =
          KvResult.decode(small.apply(3, new KvCommand.Delete(new byte[0], 0, 0).encode()));
      assertThat(((KvResult.Rejected) e).reason()).contains("empty key");
      assertThat(small.map().size()).isZero();
      assertThat(small.appliedIndex()).isEqualTo(3);
    } finally {
      small.close();
    }
  }

  @Test
  void mapApiRefusesBadKeysWithClearErrors() {
    ShardedMap map = sm.map();
    assertThatThrownBy(() -> map.put(new byte[0], b("v")))
        .isInstanceOf(StoreLimitException.class)
        .hasMessageContaining("empty key");
    assertThatThrownBy(() -> map.put(new byte[1025], b("v")))
        .hasMessageContaining("key of 1025 bytes exceeds the limit of 1024 bytes");
    assertThatThrownBy(() -> map.put(b("k"), new byte[1024 * 1024 + 1]))
        .hasMessageContaining("value of 1048577 bytes exceeds the limit of 1048576 bytes");
  }

  @Test
  void aRetriedCommandIsAppliedOnceAndGetsTheOriginalAnswer() {
    KvCommand first = new KvCommand.Cas(b("k"), null, b("1"), 42, 1);
    assertThat(apply(first)).isEqualTo(new KvResult.Done(null));
    apply(new KvCommand.Put(b("k"), b("other"), 0, 0));
    // The retry would now mismatch if it ran again; it gets the original answer instead.
    assertThat(apply(first)).isEqualTo(new KvResult.Done(null));
    assertThat(read(b("k"))).isEqualTo(b("other"));
  }

  @Test
  void anOlderSeqIsRejectedNotApplied() {
    apply(new KvCommand.Put(b("k"), b("1"), 7, 5));
    KvResult r = apply(new KvCommand.Put(b("k"), b("0"), 7, 4));
    assertThat(r).isInstanceOf(KvResult.Rejected.class);
    assertThat(((KvResult.Rejected) r).reason()).contains("client 7 seq 4").contains("seq 5");
    assertThat(read(b("k"))).isEqualTo(b("1"));
  }

  @Test
  void sessionsAreEvictedLeastRecentlyUsedFirst() {
    KvStateMachine two = new KvStateMachine(StoreOptions.DEFAULT.withMaxSessions(2));
    try {
      two.apply(1, new KvCommand.Put(b("a"), b("1"), 1, 1).encode());
      two.apply(2, new KvCommand.Put(b("b"), b("1"), 2, 1).encode());
      two.apply(3, new KvCommand.Put(b("a"), b("2"), 1, 1).encode()); // retry touches client 1
      two.apply(4, new KvCommand.Put(b("c"), b("1"), 3, 1).encode()); // evicts client 2
      assertThat(two.sessionCount()).isEqualTo(2);
      // Client 1's retry is still deduplicated; client 2 was forgotten, so its retry applies.
      two.apply(5, new KvCommand.Put(b("a"), b("x"), 1, 1).encode());
      two.apply(6, new KvCommand.Put(b("b"), b("x"), 2, 1).encode());
      assertThat(two.get(b("b"))).isEqualTo(b("x"));
      assertThat(two.get(b("a"))).isEqualTo(b("1"));
    } finally {
      two.close();
    }
  }

  @Test
  void indicesAtOrBelowTheAppliedIndexAreIgnored() {
    sm.apply(5, new KvCommand.Put(b("k"), b("1"), 0, 0).encode());
    assertThat(sm.apply(5, new KvCommand.Put(b("k"), b("2"), 0, 0).encode())).isNull();
    assertThat(sm.apply(3, new KvCommand.Put(b("k"), b("3"), 0, 0).encode())).isNull();
    assertThat(sm.get(b("k"))).isEqualTo(b("1"));
    assertThat(sm.appliedIndex()).isEqualTo(5);
  }

  @Test
  void emptyEntriesAreNoOpsThatAdvanceTheIndex() {
    assertThat(sm.apply(3, new byte[0])).isEmpty();
    assertThat(sm.appliedIndex()).isEqualTo(3);
    assertThat(sm.map().size()).isZero();
  }

  @Test
  void garbageEntriesAreRejectedAndStillAdvanceTheIndex() {
    KvResult r = KvResult.decode(sm.apply(1, new byte[] {1, 9, 9}));
    assertThat(((KvResult.Rejected) r).reason()).contains("entry 1").contains("KvCommand");
    assertThat(sm.appliedIndex()).isEqualTo(1);
  }

  @Test
  void snapshotRestoresStateSessionsAndIndexExactly() throws IOException {
    for (int i = 0; i < 500; i++) {
      apply(new KvCommand.Put(b("k" + i), b("v" + i), 0, 0));
    }
    for (int i = 0; i < 500; i += 3) {
      apply(new KvCommand.Delete(b("k" + i), 0, 0));
    }
    KvCommand sessioned = new KvCommand.Put(b("s"), b("1"), 99, 3);
    apply(sessioned);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sm.writeSnapshot(out);

    KvStateMachine copy = new KvStateMachine();
    try {
      copy.apply(1, new KvCommand.Put(b("stale"), b("gone"), 0, 0).encode());
      copy.restoreSnapshot(sm.appliedIndex(), new ByteArrayInputStream(out.toByteArray()));
      assertThat(copy.appliedIndex()).isEqualTo(sm.appliedIndex());
      assertThat(contents(copy)).isEqualTo(contents(sm));
      assertThat(copy.get(b("stale"))).isNull();
      // The session survived: the retry is answered from it, not applied.
      copy.apply(copy.appliedIndex() + 1, new KvCommand.Put(b("s"), b("2"), 0, 0).encode());
      KvResult retry = KvResult.decode(copy.apply(copy.appliedIndex() + 1, sessioned.encode()));
      assertThat(retry).isEqualTo(new KvResult.Done(null));
      assertThat(copy.get(b("s"))).isEqualTo(b("2"));
    } finally {
      copy.close();
    }
  }

  @Test
  void aCorruptSnapshotIsRefusedAndTheStateKept() throws IOException {
    apply(new KvCommand.Put(b("k"), b("v"), 0, 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sm.writeSnapshot(out);
    byte[] bytes = out.toByteArray();
    KvStateMachine other = new KvStateMachine();
    try {
      other.apply(1, new KvCommand.Put(b("mine"), b("1"), 0, 0).encode());
      for (int i = 0; i < bytes.length; i++) {
        byte[] bad = bytes.clone();
        bad[i] ^= 0x10;
        assertThatThrownBy(() -> other.restoreSnapshot(index, new ByteArrayInputStream(bad)))
            .isInstanceOf(IOException.class);
      }
      byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
      assertThatThrownBy(() -> other.restoreSnapshot(index, new ByteArrayInputStream(truncated)))
          .hasMessageContaining("corrupt KvStateMachine snapshot");
      assertThat(other.get(b("mine"))).isEqualTo(b("1"));
      assertThat(other.appliedIndex()).isEqualTo(1);
    } finally {
      other.close();
    }
  }

  @Test
  void aSnapshotRestoredAtAnotherIndexIsRefused() throws IOException {
    apply(new KvCommand.Put(b("k"), b("v"), 0, 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sm.writeSnapshot(out);
    assertThatThrownBy(
            () ->
                new KvStateMachine()
                    .restoreSnapshot(7, new ByteArrayInputStream(out.toByteArray())))
        .hasMessageContaining("index 1 but was restored as index 7");
  }

  static java.util.Map<String, String> contents(KvStateMachine m) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    m.map()
        .forEach(
            (k, v) ->
                out.put(
                    java.util.HexFormat.of().formatHex(k), java.util.HexFormat.of().formatHex(v)));
    return out;
  }
}
