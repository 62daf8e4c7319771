package dev.faultline.workloads.run;

import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;

/**
 * Where the worker pool writes the history as it happens: an invocation before a client sends the
 * op, its completion after. Implementations are thread-safe and stamp each op with the time it was
 * recorded. The signatures are those of {@code histories}' streaming recorder.
 */
public interface OpRecorder {

  Op invoke(long process, String f, Object key, Object value);

  Op complete(Op invoke, OpType type, Object value, String node, String error);
}
