package dev.faultline.testbed.report;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;

/** A small language for hand-written histories in tests: times in milliseconds. */
final class Ops {
  private final HistoryBuilder b = new HistoryBuilder();
  private int index;

  Ops invoke(long ms, long process, String f, Object value) {
    return add(new Op(index, ms * 1_000_000, process, OpType.INVOKE, f, "x", value, null, null));
  }

  Ops complete(long ms, long process, OpType type, String f, Object value) {
    return add(new Op(index, ms * 1_000_000, process, type, f, "x", value, "n1", null));
  }

  /** A call of {@code f} by {@code process} from {@code from} to {@code to} ms. */
  Ops call(long from, long to, long process, OpType type, String f) {
    return invoke(from, process, f, null).complete(to, process, type, f, null);
  }

  Ops nemesis(long ms, OpType type, String f, Object value) {
    return add(new Op(index, ms * 1_000_000, Op.NEMESIS, type, f, null, value, null, null));
  }

  private Ops add(Op op) {
    b.add(op);
    index++;
    return this;
  }

  History build() {
    return b.build();
  }
}
