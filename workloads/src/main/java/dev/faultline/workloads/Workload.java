package dev.faultline.workloads;

import dev.faultline.histories.History;
import java.util.List;
import java.util.Optional;

/**
 * A kind of test load: how operations are generated and how the resulting history is judged.
 * Register-like workloads are judged by the linearizability checker; a workload with its own
 * analysis (the set) returns it from {@link #analyze(History)}.
 */
public sealed interface Workload permits RegisterWorkload, KvWorkload, SetWorkload, ChurnWorkload {

  /**
   * The name used on the command line: {@code register}, {@code kv}, {@code set} or {@code churn}.
   */
  String name();

  Generator generator(long seed, WorkloadOptions options);

  /**
   * The name of the checker model that judges this workload's history key by key (e.g. {@code
   * cas-register}), or empty when the workload has only its own analysis.
   */
  Optional<String> checkerModel();

  /** The workload's own analysis of a finished history, or empty when it has none. */
  default Optional<WorkloadAnalysis> analyze(History history) {
    return Optional.empty();
  }

  /** The workload's names, the default first. */
  static List<String> names() {
    return List.of("kv", "register", "set", "churn");
  }

  /** The workload called {@code name}; throws with the known names when there is none. */
  static Workload named(String name) {
    return switch (name) {
      case "kv" -> new KvWorkload();
      case "register" -> new RegisterWorkload();
      case "set" -> new SetWorkload();
      case "churn" -> new ChurnWorkload();
      default ->
          throw new IllegalArgumentException(
              "unknown workload '" + name + "'; choose one of " + String.join(", ", names()));
    };
  }
}
