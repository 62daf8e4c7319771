package dev.faultline.raft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The replicated application. Commands are applied in log order, one at a time, by one thread;
 * reads run after the runtime has confirmed (ReadIndex) that the applied state is at least as new
 * as the read.
 */
public interface StateMachine {

  /** Applies the committed command at {@code index} and returns its result for the proposer. */
  byte[] apply(long index, byte[] command);

  /** Answers a read-only query against the current state. */
  byte[] query(byte[] query);

  /** The index of the last command applied (or restored). */
  long appliedIndex();

  /** Writes the whole state as of {@link #appliedIndex()}. */
  void writeSnapshot(OutputStream out) throws IOException;

  /** Replaces the whole state with a snapshot taken at {@code index}. */
  void restoreSnapshot(long index, InputStream in) throws IOException;
}
