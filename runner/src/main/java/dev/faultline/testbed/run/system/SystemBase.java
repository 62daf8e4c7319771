package dev.faultline.testbed.run.system;

import dev.faultline.testbed.plan.FaultKind;
import dev.faultline.workloads.Workload;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What every system under test holds the same way: its name, its resolved options, the faults it
 * takes, and every workload (each system's client serves all of them). The refusals are those of a
 * system Faultline did not write ({@link Refusals#plainLocal}); our own node overrides them.
 */
public abstract class SystemBase implements SystemUnderTest {
  /**
   * The faults any program run as local processes in the sandbox takes: the network's and the
   * process's. The clock is added where the program's time goes through libfaketime.
   */
  protected static final Set<FaultKind> PROCESS_FAULTS =
      EnumSet.of(FaultKind.PARTITION, FaultKind.PARTITION_LEADER, FaultKind.KILL, FaultKind.PAUSE);

  /** {@link #PROCESS_FAULTS} and the clock. */
  protected static final Set<FaultKind> PROCESS_AND_CLOCK_FAULTS = with(FaultKind.CLOCK);

  private final String name;
  private final Map<String, String> options;
  private final Set<FaultKind> faults;

  protected SystemBase(String name, Map<String, String> options, Set<FaultKind> faults) {
    this.name = name;
    this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    this.faults = Set.copyOf(faults);
  }

  private static Set<FaultKind> with(FaultKind extra) {
    var all = EnumSet.copyOf(PROCESS_FAULTS);
    all.add(extra);
    return all;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Map<String, String> options() {
    return options;
  }

  /** The option {@code key}, resolved (its default filled in). */
  protected final String option(String key) {
    return options.get(key);
  }

  @Override
  public final Set<String> workloads() {
    return Set.copyOf(Workload.names());
  }

  @Override
  public final Set<FaultKind> faults() {
    return faults;
  }

  @Override
  public Optional<String> refusal(RunShape shape) {
    return Refusals.plainLocal(name, shape);
  }
}
