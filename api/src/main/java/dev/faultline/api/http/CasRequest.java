package dev.faultline.api.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.api.RefusalLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;

/**
 * The body of {@code POST /v1/kv/{key}/cas}: {@code expected} ({@code null} = absent) and {@code
 * value}, each either a UTF-8 string or, under {@code expected_b64}/{@code value_b64}, base64
 * bytes.
 */
record CasRequest(byte[] expected, byte[] value) {

  private static final Set<String> FIELDS =
      Set.of("expected", "expected_b64", "value", "value_b64");

  static CasRequest parse(ObjectMapper json, byte[] body, int maxValueBytes) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (StreamConstraintsException e) {
      // Past the parser's bounds (nesting depth, number or name length): refused, never parsed.
      throw ApiError.badRequest(
          "cas body exceeds the JSON parser's limits ("
              + RefusalLog.oneLine(e.getOriginalMessage().replaceAll(", from `[^`]*`", ""))
              + "): send {\"expected\": ..., \"value\": ...}");
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw ApiError.badRequest(
          "malformed JSON in cas body"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": send {\"expected\": ..., \"value\": ...}");
    } catch (IOException e) {
      throw ApiError.badRequest("unreadable cas body: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiError.badRequest(
          "cas body must be a JSON object {\"expected\": \"<string>\"|null, \"value\": \"<string>\"}");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        throw ApiError.badRequest(
            "unknown field '" + name + "' in cas body: expected one of " + FIELDS);
      }
    }
    byte[] expected = field(root, "expected", true, maxValueBytes);
    byte[] value = field(root, "value", false, maxValueBytes);
    return new CasRequest(expected, value);
  }

  private static byte[] field(JsonNode root, String name, boolean nullable, int maxValueBytes) {
    JsonNode text = root.get(name);
    JsonNode b64 = root.get(name + "_b64");
    if (text != null && b64 != null) {
      throw ApiError.badRequest("cas body has both " + name + " and " + name + "_b64: send one");
    }
    if (text == null && b64 == null) {
      throw ApiError.badRequest(
          "cas body lacks '"
              + name
              + "'"
              + (nullable ? " (use null for \"key absent\")" : "")
              + ": add it as a string, or as '"
              + name
              + "_b64' for binary");
    }
    JsonNode node = text != null ? text : b64;
    String shown = text != null ? name : name + "_b64";
    if (node.isNull()) {
      if (!nullable) {
        throw ApiError.badRequest("cas '" + shown + "' must not be null: send a string");
      }
      return null;
    }
    if (!node.isTextual()) {
      throw ApiError.badRequest(
          "cas '"
              + shown
              + "' must be a string"
              + (nullable ? " or null" : "")
              + ", not "
              + kind(node));
    }
    byte[] bytes;
    if (text != null) {
      bytes = node.textValue().getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        bytes = Base64.getDecoder().decode(node.textValue());
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("cas '" + shown + "' is not valid base64: " + e.getMessage());
      }
    }
    if (bytes.length > maxValueBytes) {
      throw ApiError.tooLarge(
          "cas '" + shown + "' is " + bytes.length + " bytes, over the limit of " + maxValueBytes);
    }
    return bytes;
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
