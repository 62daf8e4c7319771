package dev.faultline.testbed.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.workloads.client.HttpConnection;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * How the load generator speaks to one kind of server: Faultline's HTTP API, or etcd's v3 JSON
 * gateway (base64 keys and values; a range is linearizable unless asked otherwise). Both find the
 * leader first, so neither pays a forwarding hop.
 */
sealed interface KvProtocol permits KvProtocol.Faultline, KvProtocol.Etcd {

  ObjectMapper JSON = new ObjectMapper();

  String name();

  /** The endpoint of the leader among {@code targets}, found by asking them. */
  URI leader(List<URI> targets, int timeoutMillis) throws IOException;

  default HttpConnection.Response put(HttpConnection c, String key, byte[] value)
      throws IOException {
    return request(KvLoad.Op.PUT, key, value).on(c);
  }

  /** Whether {@code r} answers the operation successfully (an absent key is a success). */
  default boolean ok(HttpConnection.Response r) {
    return ok(r.status());
  }

  /** Whether a status answers the operation successfully (an absent key is a success). */
  boolean ok(int status);

  /** One operation as an HTTP request: what {@link #put}, {@link #get} and {@link #delete} send. */
  record Request(String method, String path, String contentType, byte[] body) {
    HttpConnection.Response on(HttpConnection c) throws IOException {
      return c.exchange(method, path, contentType, body);
    }
  }

  /** The request of {@code op} on {@code key} ({@code value} for a put). */
  Request request(KvLoad.Op op, String key, byte[] value);

  /** {@code PUT/GET/DELETE /v1/kv/KEY}; the leader from {@code GET /v1/cluster}. */
  record Faultline() implements KvProtocol {
    @Override
    public String name() {
      return "faultline";
    }

    @Override
    public URI leader(List<URI> targets, int timeoutMillis) throws IOException {
      IOException last = null;
      for (URI t : targets) {
        try (HttpConnection c = new HttpConnection(t, Duration.ofMillis(timeoutMillis))) {
          HttpConnection.Response r = c.exchange("GET", "/v1/cluster", null, null);
          JsonNode cluster = JSON.readTree(r.body());
          String leader = cluster.path("leaderId").asText(null);
          for (JsonNode m : cluster.path("members")) {
            if (leader != null && leader.equals(m.path("id").asText()) && m.hasNonNull("http")) {
              return URI.create("http://" + m.get("http").asText());
            }
          }
        } catch (IOException e) {
          last = e;
        }
      }
      throw new IOException("no Faultline node among " + targets + " knows a leader" + why(last));
    }

    @Override
    public Request request(KvLoad.Op op, String key, byte[] value) {
      return switch (op) {
        case PUT -> new Request("PUT", "/v1/kv/" + key, "application/octet-stream", value);
        case GET -> new Request("GET", "/v1/kv/" + key, null, null);
        case DELETE -> new Request("DELETE", "/v1/kv/" + key, null, null);
      };
    }

    @Override
    public boolean ok(int status) {
      return status == 200 || status == 204 || status == 404;
    }
  }

  /** {@code POST /v3/kv/put|range|deleterange}; the leader from {@code /v3/maintenance/status}. */
  record Etcd() implements KvProtocol {
    @Override
    public String name() {
      return "etcd";
    }

    @Override
    public URI leader(List<URI> targets, int timeoutMillis) throws IOException {
      IOException last = null;
      for (URI t : targets) {
        try (HttpConnection c = new HttpConnection(t, Duration.ofMillis(timeoutMillis))) {
          HttpConnection.Response r =
              c.exchange(
                  "POST",
                  "/v3/maintenance/status",
                  "application/json",
                  "{}".getBytes(StandardCharsets.UTF_8));
          JsonNode s = JSON.readTree(r.body());
          String self = s.path("header").path("member_id").asText("");
          if (!self.isEmpty() && self.equals(s.path("leader").asText())) {
            return t;
          }
        } catch (IOException e) {
          last = e;
        }
      }
      if (targets.size() == 1 && last == null) {
        return targets.get(0);
      }
      throw new IOException("no etcd member among " + targets + " is the leader" + why(last));
    }

    private static String b64(String s) {
      return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Request request(KvLoad.Op op, String key, byte[] value) {
      String body =
          switch (op) {
            case PUT ->
                "{\"key\":\""
                    + b64(key)
                    + "\",\"value\":\""
                    + Base64.getEncoder().encodeToString(value)
                    + "\"}";
            case GET, DELETE -> "{\"key\":\"" + b64(key) + "\"}";
          };
      String path =
          switch (op) {
            case PUT -> "/v3/kv/put";
            case GET -> "/v3/kv/range";
            case DELETE -> "/v3/kv/deleterange";
          };
      return new Request("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean ok(int status) {
      return status == 200;
    }
  }

  private static String why(IOException e) {
    return e == null ? "" : " (last error: " + e.getMessage() + ")";
  }
}
