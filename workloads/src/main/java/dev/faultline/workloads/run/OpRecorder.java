package dev.faultline.workloads.run;

import dev.faultline.histories.HistoryRecorder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;

/**
 * Where the worker pool writes the history as it happens: an invocation before a client sends the
 * op, its completion after. Implementations are thread-safe and stamp each op with the time it was
 * recorded. {@link #of(HistoryRecorder)} adapts the streaming recorder.
 */
public interface OpRecorder {

  Op invoke(long process, String f, Object key, Object value);

  Op complete(Op invoke, OpType type, Object value, String node, String error);

  /** Records through a streaming {@link HistoryRecorder} (the run's {@code history.jsonl}). */
  static OpRecorder of(HistoryRecorder recorder) {
    return new OpRecorder() {
      @Override
      public Op invoke(long process, String f, Object key, Object value) {
        return recorder.invoke(process, f, key, value);
      }

      @Override
      public Op complete(Op invoke, OpType type, Object value, String node, String error) {
        return recorder.complete(invoke, type, value, node, error);
      }
    };
  }
}
