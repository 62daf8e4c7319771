package dev.faultline.histories;

import java.util.Locale;

/**
 * What an op record says: an invocation, or one of the three ways it can complete. {@code FAIL}
 * means the operation certainly did not take effect; {@code INFO} means its outcome is unknown.
 */
public enum OpType {
  INVOKE,
  OK,
  FAIL,
  INFO;

  /** The name used in every format: {@code invoke}, {@code ok}, {@code fail}, {@code info}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name, or returns null when it is not one of the four. */
  public static OpType fromWire(String name) {
    return switch (name) {
      case "invoke" -> INVOKE;
      case "ok" -> OK;
      case "fail" -> FAIL;
      case "info" -> INFO;
      default -> null;
    };
  }

  public boolean isCompletion() {
    return this != INVOKE;
  }
}
