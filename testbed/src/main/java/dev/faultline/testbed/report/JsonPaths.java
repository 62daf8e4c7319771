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
