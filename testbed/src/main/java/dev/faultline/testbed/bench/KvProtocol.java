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

  HttpConnection.Response put(HttpConnection c, String key, byte[] value) throws IOException;

  HttpConnection.Response get(HttpConnection c, String key) throws IOException;

  HttpConnection.Response delete(HttpConnection c, String key) throws IOException;

  /** Whether {@code r} answers the operation successfully (an absent key is a success). */
  boolean ok(HttpConnection.Response r);

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
    public HttpConnection.Response put(HttpConnection c, String key, byte[] value)
        throws IOException {
      return c.exchange("PUT", "/v1/kv/" + key, "application/octet-stream", value);
    }

    @Override
    public HttpConnection.Response get(HttpConnection c, String key) throws IOException {
      return c.exchange("GET", "/v1/kv/" + key, null, null);
    }

    @Override
    public HttpConnection.Response delete(HttpConnection c, String key) throws IOException {
      return c.exchange("DELETE", "/v1/kv/" + key, null, null);
    }

    @Override
    public boolean ok(HttpConnection.Response r) {
      return r.status() == 200 || r.status() == 204 || r.status() == 404;
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
    public HttpConnection.Response put(HttpConnection c, String key, byte[] value)
        throws IOException {
      String body =
          "{\"key\":\""
              + b64(key)
              + "\",\"value\":\""
              + Base64.getEncoder().encodeToString(value)
              + "\"}";
      return c.exchange(
          "POST", "/v3/kv/put", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public HttpConnection.Response get(HttpConnection c, String key) throws IOException {
      String body = "{\"key\":\"" + b64(key) + "\"}";
      return c.exchange(
          "POST", "/v3/kv/range", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public HttpConnection.Response delete(HttpConnection c, String key) throws IOException {
      String body = "{\"key\":\"" + b64(key) + "\"}";
      return c.exchange(
          "POST", "/v3/kv/deleterange", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean ok(HttpConnection.Response r) {
      return r.status() == 200;
    }
  }

  private static String why(IOException e) {
    return e == null ? "" : " (last error: " + e.getMessage() + ")";
  }
}
