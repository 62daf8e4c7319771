package dev.faultline.nemesis.toxiproxy;

import java.util.Map;
import java.util.Optional;

/**
 * What starting or stopping a {@link ToxicFault} did: the history event name ({@code
 * start-latency}), its value (the fault's links and parameters) and the error when it failed (the
 * fault may then be on some links only; {@link ToxiproxyNet#healAll} clears it).
 */
public record ToxicOutcome(
    ToxicFault fault, String f, Map<String, Object> value, Optional<String> error) {
  public ToxicOutcome {
    value = Map.copyOf(value);
  }

  public boolean ok() {
    return error.isEmpty();
  }
}
