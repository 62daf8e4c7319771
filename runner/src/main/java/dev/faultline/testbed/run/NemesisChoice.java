package dev.faultline.testbed.run;

import dev.faultline.testbed.plan.FaultKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What {@code --nemesis} asked for, resolved to a list of fault kinds: {@code none}, {@code all}
 * (partition, kill, pause, disk, and clock where libfaketime is installed) or a comma-separated
 * list. The kinds are distinct and in the order given.
 */
public record NemesisChoice(String spec, List<FaultKind> kinds) {
  /** The default: partitions, crashes and pauses. */
  public static final String DEFAULT = "partition,kill,pause";

  public NemesisChoice {
    kinds = List.copyOf(kinds);
  }

  /**
   * Resolves {@code spec}.
   *
   * @param clockAvailable whether libfaketime is present, so that {@code all} includes clock
   */
  public static NemesisChoice parse(String spec, boolean clockAvailable) {
    String s = spec.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException(
          "--nemesis is empty: use none, all, or e.g. partition,kill");
    }
    if (s.equals("none")) {
      return new NemesisChoice(s, List.of());
    }
    if (s.equals("all")) {
      var all = new ArrayList<>(List.of(FaultKind.PARTITION, FaultKind.KILL, FaultKind.PAUSE));
      all.add(FaultKind.DISK);
      if (clockAvailable) {
        all.add(FaultKind.CLOCK);
      }
      return new NemesisChoice(s, all);
    }
    var kinds = new LinkedHashSet<FaultKind>();
    for (String part : s.split(",", -1)) {
      if (part.isBlank()) {
        throw new IllegalArgumentException(
            "--nemesis " + spec + ": empty name in the list; write e.g. partition,kill");
      }
      if (part.strip().equals("none") || part.strip().equals("all")) {
        throw new IllegalArgumentException(
            "--nemesis " + spec + ": " + part.strip() + " cannot be combined with other faults");
      }
      kinds.add(FaultKind.parse(part));
    }
    return new NemesisChoice(s, List.copyOf(kinds));
  }

  /** Whether any fault needs the network sandbox (only partitions do). */
  public boolean needsPartitions() {
    return kinds.contains(FaultKind.PARTITION) || kinds.contains(FaultKind.PARTITION_LEADER);
  }

  /** The name used in the run directory, e.g. {@code partition+kill} or {@code none}. */
  public String dirName() {
    if (spec.equals("all") || kinds.isEmpty()) {
      return kinds.isEmpty() ? "none" : "all";
    }
    return String.join("+", FaultKind.names(kinds));
  }
}
