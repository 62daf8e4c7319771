package dev.faultline.workloads;

import java.util.List;

/**
 * One operation a workload asks a client to perform, as plain data. Each command knows how it is
 * written in the history: its function name, key and invocation value.
 */
public sealed interface Command {

  /** The key the command acts on; also the key recorded in the history. */
  String key();

  /**
   * The history function name: {@code read}, {@code write}, {@code cas}, {@code delete} or {@code
   * add}.
   */
  String f();

  /** The value recorded with the invocation. */
  Object invokeValue();

  /** Reads one integer register; completes with a {@link Long} or null when absent. */
  record Read(String key) implements Command {
    @Override
    public String f() {
      return "read";
    }

    @Override
    public Object invokeValue() {
      return null;
    }
  }

  /** Reads a stored set; completes with the list of its elements in stored order. */
  record ReadSet(String key) implements Command {
    @Override
    public String f() {
      return "read";
    }

    @Override
    public Object invokeValue() {
      return null;
    }
  }

  /** Writes an integer, stored as its decimal string. */
  record Write(String key, long value) implements Command {
    @Override
    public String f() {
      return "write";
    }

    @Override
    public Object invokeValue() {
      return value;
    }
  }

  /** Removes the key; completes {@code ok} whether or not it was present. */
  record Delete(String key) implements Command {
    @Override
    public String f() {
      return "delete";
    }

    @Override
    public Object invokeValue() {
      return null;
    }
  }

  /** Sets the register to {@code value} only if it currently holds {@code expected}. */
  record Cas(String key, long expected, long value) implements Command {
    @Override
    public String f() {
      return "cas";
    }

    @Override
    public Object invokeValue() {
      return List.of(expected, value);
    }
  }

  /** Adds a unique element to the set stored under {@code key}. */
  record Add(String key, long element) implements Command {
    @Override
    public String f() {
      return "add";
    }

    @Override
    public Object invokeValue() {
      return element;
    }
  }
}
