package dev.faultline.testbed.run.system;

import dev.faultline.testbed.plan.FaultKind;
import java.util.TreeSet;

/** Refuses, in one line and before anything starts, what a system under test cannot serve. */
public final class SystemCheck {
  private SystemCheck() {}

  /**
   * @throws IllegalArgumentException naming the workload, fault or option the system refuses
   */
  public static void refuse(
      SystemUnderTest system,
      String workload,
      java.util.Collection<FaultKind> faults,
      SystemUnderTest.RunShape shape) {
    if (!system.workloads().contains(workload)) {
      throw new IllegalArgumentException(
          "--workload "
              + workload
              + ": --db "
              + system.name()
              + " serves "
              + String.join(", ", new TreeSet<>(system.workloads())));
    }
    for (FaultKind k : faults) {
      if (!system.faults().contains(k)) {
        var names = new TreeSet<String>();
        system.faults().forEach(f -> names.add(f.cliName()));
        throw new IllegalArgumentException(
            "--nemesis "
                + k.cliName()
                + ": --db "
                + system.name()
                + " supports "
                + String.join(", ", names)
                + (system.whyNot(k).isEmpty() ? reason(k) : " (" + system.whyNot(k) + ")"));
      }
    }
    system
        .refusal(shape)
        .ifPresent(
            r -> {
              throw new IllegalArgumentException(r);
            });
  }

  private static String reason(FaultKind k) {
    return switch (k) {
      case DISK -> " (disk damages the tail of our own write-ahead log, whose format it knows)";
      case LATENCY, BANDWIDTH, FLAKY -> " (link faults need our node's proxied peer links)";
      default -> "";
    };
  }
}
