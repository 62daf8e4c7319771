package dev.faultline.workloads.client;

import dev.faultline.histories.OpType;
import java.util.Objects;

/**
 * How one operation ended: {@code ok}, {@code fail} (certainly did not take effect) or {@code info}
 * (may or may not have), with the value read and the node that answered.
 *
 * @param type OK, FAIL or INFO; never INVOKE
 * @param value the completion value as recorded in the history (a read's result), or null
 * @param node the node that answered, or null when none did
 * @param error a short machine-readable reason for fail and info, e.g. {@code timeout}
 */
public record Completion(OpType type, Object value, String node, String error) {

  public Completion {
    Objects.requireNonNull(type, "type");
    if (type == OpType.INVOKE) {
      throw new IllegalArgumentException("a completion cannot be an invocation");
    }
  }

  public static Completion ok(Object value, String node) {
    return new Completion(OpType.OK, value, node, null);
  }

  public static Completion fail(String error, String node) {
    return new Completion(OpType.FAIL, null, node, error);
  }

  public static Completion info(String error, String node) {
    return new Completion(OpType.INFO, null, node, error);
  }

  public boolean isOk() {
    return type == OpType.OK;
  }

  public boolean isInfo() {
    return type == OpType.INFO;
  }

  /** The same completion with a different value (the port's raw value decoded). */
  public Completion withValue(Object newValue) {
    return new Completion(type, newValue, node, error);
  }
}
