package dev.faultline.testbed.sim;

import dev.faultline.histories.History;
import java.util.List;

/**
 * What one seeded run found.
 *
 * @param seed the seed that replays this run
 * @param config the fault mix as this seed used it
 * @param setup the Raft options this seed used
 * @param outcome passed, or which property failed
 * @param problem the violated property in words, or null when passed
 * @param traceHash a hash of the whole event trace: equal seeds give equal hashes
 * @param events events processed
 * @param messages Raft messages delivered
 * @param simulatedNanos simulated time covered
 * @param wallNanos wall time the simulation took (checking excluded)
 * @param history the client history, nemesis events included
 * @param lastEvents the last events before the end (or the failure)
 * @param trace every event, when the run recorded them; otherwise empty
 */
public record SimResult(
    long seed,
    SimConfig config,
    RaftSetup setup,
    Outcome outcome,
    String problem,
    long traceHash,
    long events,
    long messages,
    long simulatedNanos,
    long wallNanos,
    History history,
    List<String> lastEvents,
    List<String> trace) {

  /** Passed, or the kind of property that failed. */
  public enum Outcome {
    PASSED,
    SAFETY,
    LINEARIZABILITY,
    LIVENESS,
    ERROR
  }

  public boolean passed() {
    return outcome == Outcome.PASSED;
  }
}
