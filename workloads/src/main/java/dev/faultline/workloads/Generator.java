package dev.faultline.workloads;

import java.util.List;

/**
 * Decides a workload's operations: a deterministic sequence drawn from the seed it was made with,
 * then a final phase of reads. A generator has no threads, reads no clock and uses no randomness
 * but its seeded source, so the same seed yields the same sequence; which process runs which op is
 * up to the caller's timing. Not thread-safe: callers take turns.
 */
public interface Generator {

  /** The next operation of the main phase; the sequence never ends. */
  Command next();

  /** A read of every key the main phase has touched so far, each once, in first-touch order. */
  List<Command> finalReads();
}
