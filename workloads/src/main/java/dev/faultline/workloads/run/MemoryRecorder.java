package dev.faultline.workloads.run;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.histories.Values;

/**
 * An {@link OpRecorder} that keeps the history in memory, timed in monotonic nanoseconds since it
 * was created. Every op passes through {@link HistoryBuilder}, so a misfit (a process invoking
 * twice) fails at the op that causes it.
 */
public final class MemoryRecorder implements OpRecorder {
  private final long start = System.nanoTime();
  private final HistoryBuilder builder = new HistoryBuilder();

  @Override
  public synchronized Op invoke(long process, String f, Object key, Object value) {
    return builder.add(
        new Op(
            builder.size(),
            System.nanoTime() - start,
            process,
            OpType.INVOKE,
            f,
            key,
            Values.normalize(value),
            null,
            null));
  }

  @Override
  public synchronized Op complete(Op invoke, OpType type, Object value, String node, String error) {
    return builder.add(
        new Op(
            builder.size(),
            System.nanoTime() - start,
            invoke.process(),
            type,
            invoke.f(),
            invoke.key(),
            Values.normalize(value),
            node,
            error));
  }

  public synchronized History history() {
    return builder.build();
  }
}
