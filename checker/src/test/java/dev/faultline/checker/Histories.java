package dev.faultline.checker;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;

/** A terse way to write small histories in tests: one line per op, in order. */
final class Histories {
  private final HistoryBuilder b = new HistoryBuilder();
  private long time;

  static Histories of() {
    return new Histories();
  }

  Histories invoke(long process, String f, Object value) {
    return op(process, OpType.INVOKE, f, null, value);
  }

  Histories invoke(long process, String f, Object key, Object value) {
    return op(process, OpType.INVOKE, f, key, value);
  }

  Histories ok(long process, String f, Object value) {
    return op(process, OpType.OK, f, null, value);
  }

  Histories ok(long process, String f, Object key, Object value) {
    return op(process, OpType.OK, f, key, value);
  }

  Histories fail(long process, String f, Object value) {
    return op(process, OpType.FAIL, f, null, value);
  }

  Histories info(long process, String f, Object value) {
    return op(process, OpType.INFO, f, null, value);
  }

  Histories op(long process, OpType type, String f, Object key, Object value) {
    b.add(new Op(0, time++, process, type, f, key, value, null, null));
    return this;
  }

  History build() {
    return b.build();
  }
}
