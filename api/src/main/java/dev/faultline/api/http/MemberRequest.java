package dev.faultline.api.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.RefusalLog;
import dev.faultline.api.config.Addresses;
import dev.faultline.api.config.ConfigException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/admin/members}: the new member's {@code id} and its {@code peer}
 * (Raft) address, with its {@code http} and {@code grpc} client addresses when known, each {@code
 * HOST:PORT}.
 */
final class MemberRequest {

  private static final Set<String> FIELDS = Set.of("id", "peer", "http", "grpc");
  private static final String SHAPE =
      "send {\"id\": \"n4\", \"peer\": \"HOST:PORT\", \"http\": \"HOST:PORT\", \"grpc\":"
          + " \"HOST:PORT\"} (http and grpc optional)";

  private MemberRequest() {}

  static NodeAddress parse(ObjectMapper json, byte[] body, Pattern idPattern) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw ApiError.badRequest(
          "malformed JSON in member body"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + SHAPE);
    } catch (IOException e) {
      throw ApiError.badRequest("unreadable member body: " + RefusalLog.oneLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw ApiError.badRequest("member body must be a JSON object: " + SHAPE);
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!FIELDS.contains(name)) {
        throw ApiError.badRequest(
            "unknown field '" + cut(name) + "' in member body: expected one of " + FIELDS);
      }
    }
    String id = text(root, "id", true);
    if (!idPattern.matcher(id).matches()) {
      throw ApiError.badRequest(
          "member id '" + cut(id) + "' is not valid: use 1-64 letters, digits, '.', '_' or '-'");
    }
    return new NodeAddress(
        id,
        address(root, "peer", true),
        address(root, "http", false),
        address(root, "grpc", false));
  }

  private static String address(JsonNode root, String field, boolean required) {
    String raw = text(root, field, required);
    if (raw == null) {
      return null;
    }
    try {
      return Addresses.require(raw, "field '" + field + "' of the member body");
    } catch (ConfigException e) {
      throw ApiError.badRequest(RefusalLog.oneLine(e.getMessage()));
    }
  }

  private static String text(JsonNode root, String field, boolean required) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw ApiError.badRequest("member body lacks '" + field + "': " + SHAPE);
      }
      return null;
    }
    if (!n.isTextual()) {
      throw ApiError.badRequest("field '" + field + "' of the member body must be a string");
    }
    String s = n.asText().strip();
    if (s.contains(",") || s.contains(";") || s.contains("=")) {
      throw ApiError.badRequest(
          "field '" + field + "' of the member body must not contain ',', ';' or '='");
    }
    return s;
  }

  private static String cut(String s) {
    return RefusalLog.oneLine(s.length() > 80 ? s.substring(0, 80) + "..." : s);
  }
}
