package dev.faultline.testbed.plan;

import dev.faultline.nemesis.Fault;
import dev.faultline.nemesis.FaultOutcome;
import dev.faultline.nemesis.toxiproxy.ToxicFault;
import dev.faultline.nemesis.toxiproxy.ToxicOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fault made concrete for one window: one the {@link dev.faultline.nemesis.Nemesis} carries out
 * on nodes and the network, or one Toxiproxy places on peer links. Both are recorded the same way
 * ({@code start-<label>} / {@code stop-<label>} with {@link #asValue}).
 */
public sealed interface PlannedFault {
  /** The history name of the fault, e.g. {@code partition} or {@code latency}. */
  String label();

  List<String> targets();

  Map<String, Object> params();

  Map<String, Object> asValue();

  default String startName() {
    return "start-" + label();
  }

  default String stopName() {
    return "stop-" + label();
  }

  /** A fault of the nemesis module: partition, kill, pause, disk, clock. */
  record OnNodes(Fault fault) implements PlannedFault {
    @Override
    public String label() {
      return fault.kind().label();
    }

    @Override
    public List<String> targets() {
      return fault.targets();
    }

    @Override
    public Map<String, Object> params() {
      return fault.params();
    }

    @Override
    public Map<String, Object> asValue() {
      return fault.asValue();
    }
  }

  /** Latency, a bandwidth cap or resets on peer links, through Toxiproxy. */
  record OnLinks(ToxicFault fault) implements PlannedFault {
    @Override
    public String label() {
      return fault.kind().label();
    }

    @Override
    public List<String> targets() {
      return fault.targets();
    }

    @Override
    public Map<String, Object> params() {
      return fault.asValue();
    }

    @Override
    public Map<String, Object> asValue() {
      return fault.asValue();
    }
  }

  /** What starting or stopping a planned fault did; the value is what the history records. */
  record Outcome(String f, Map<String, Object> value, Optional<String> error) {
    public Outcome {
      value = Map.copyOf(value);
    }

    public static Outcome of(FaultOutcome o) {
      return new Outcome(o.f(), o.value(), o.error());
    }

    public static Outcome of(ToxicOutcome o) {
      return new Outcome(o.f(), o.value(), o.error());
    }
  }
}
