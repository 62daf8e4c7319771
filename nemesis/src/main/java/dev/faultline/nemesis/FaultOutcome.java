package dev.faultline.nemesis;

import java.util.Map;
import java.util.Optional;

/**
 * What starting or stopping a fault did: the history event name ({@code start-partition}), its
 * value (the fault's targets and parameters plus what happened, such as the WAL damage), and the
 * error when it failed (the fault may then be partly applied; {@link Nemesis#healAll} clears it).
 */
public record FaultOutcome(
    Fault fault, String f, Map<String, Object> value, Optional<String> error) {
  public FaultOutcome {
    value = Map.copyOf(value);
  }

  public boolean ok() {
    return error.isEmpty();
  }
}
