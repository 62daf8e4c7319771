package dev.faultline.testbed.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Lenient reads from test.json, whose shape varies between writers: the first of several dotted
 * paths that holds a value. results.json is not read this way but as a {@link RunResults}.
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
}
