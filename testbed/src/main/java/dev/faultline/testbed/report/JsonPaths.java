package dev.faultline.testbed.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Lenient reads from JSON trees whose exact shape may vary between writers (test.json and
 * results.json gain fields over time): the first of several dotted paths that holds a value.
 */
public final class JsonPaths {
  private JsonPaths() {}

  /** The node at the first path that exists and is not null, or null. */
  public static JsonNode at(JsonNode root, String... paths) {
    if (root == null) {
      return null;
    }
    for (String path : paths) {
      JsonNode n = root;
      for (String part : path.split("\\.")) {
        n = n == null ? null : n.get(part);
      }
      if (n != null && !n.isNull() && !n.isMissingNode()) {
        return n;
      }
    }
    return null;
  }

  /** The text at the first path that exists (numbers and booleans as text), or null. */
  public static String text(JsonNode root, String... paths) {
    JsonNode n = at(root, paths);
    if (n == null) {
      return null;
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }

  /**
   * A command line recorded as text or as a list of arguments, as one line a shell reads back:
   * arguments with spaces or quotes are single-quoted. A list that holds only the arguments (the
   * runner records those after {@code faultline}) gets {@code faultline} in front. Null when none
   * of the paths holds one.
   */
  public static String commandLine(JsonNode root, String... paths) {
    JsonNode n = at(root, paths);
    if (n == null) {
      return null;
    }
    if (!n.isArray()) {
      return n.asText();
    }
    StringBuilder b = new StringBuilder();
    if (n.isEmpty() || !n.get(0).asText().endsWith("faultline")) {
      b.append("faultline");
    }
    for (JsonNode arg : n) {
      String a = arg.asText();
      if (b.length() > 0) {
        b.append(' ');
      }
      if (!a.isEmpty() && a.matches("[A-Za-z0-9_@%+=:,./-]+")) {
        b.append(a);
      } else {
        b.append('\'').append(a.replace("'", "'\\''")).append('\'');
      }
    }
    return b.toString();
  }

  /** The number at the first path that holds one, or null. */
  public static Long number(JsonNode root, String... paths) {
    JsonNode n = at(root, paths);
    return n != null && n.isNumber() ? n.asLong() : null;
  }

  /**
   * The first object (breadth first) that has a non-null field {@code field}, or null. Used to find
   * the checker's counterexample wherever the runner nests the checker's result.
   */
  public static JsonNode findObjectWith(JsonNode root, String field) {
    if (root == null) {
      return null;
    }
    Deque<JsonNode> queue = new ArrayDeque<>();
    queue.add(root);
    int budget = 100_000;
    while (!queue.isEmpty() && budget-- > 0) {
      JsonNode n = queue.poll();
      if (n.isObject()) {
        JsonNode v = n.get(field);
        if (v != null && !v.isNull()) {
          return n;
        }
      }
      if (n.isContainerNode()) {
        n.forEach(queue::add);
      }
    }
    return null;
  }
}
