package dev.faultline.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.api.BackendFailure;
import dev.faultline.api.FakeBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.MembershipAdmin;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.metrics.NodeMetrics;
import dev.faultline.api.security.Access;
import dev.faultline.api.security.Authenticator;
import dev.faultline.api.security.EdgeSecurity;
import dev.faultline.api.security.InflightLimit;
import dev.faultline.api.security.Role;
import dev.faultline.api.security.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document {@link HttpApi} serves: every reference resolves, and every refusal of the
 * security and limit layers is listed on the operations that can really give it.
 */
class OpenApiDocumentTest {

  static final Limits LIMITS =
      new Limits(64, 256, 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(2));
  static final int MAX_HEADER_BYTES = 2048;
  static final String READ_TOKEN = "read-token-0123456789abcdef";
  static final String WRITE_TOKEN = "write-token-0123456789abcdef";
  static final String ERROR_SCHEMA = "#/components/schemas/Error";

  /** One key-value operation: how the document names it and what a request sends. */
  record KvOp(String method, String route, String path, String body, boolean writes) {
    boolean takesBody() {
      return body != null;
    }

    /** The route's body limit plus one byte. */
    byte[] oversizeBody() {
      long max = route.endsWith("/cas") ? LIMITS.maxCasBodyBytes() : LIMITS.maxValueBytes();
      return new byte[(int) max + 1];
    }
  }

  static final List<KvOp> KV_OPS =
      List.of(
          new KvOp("PUT", "/v1/kv/{key}", "/v1/kv/k", "v", true),
          new KvOp("GET", "/v1/kv/{key}", "/v1/kv/k", null, false),
          new KvOp("DELETE", "/v1/kv/{key}", "/v1/kv/k", null, true),
          new KvOp(
              "POST",
              "/v1/kv/{key}/cas",
              "/v1/kv/k/cas",
              "{\"expected\":null,\"value\":\"v\"}",
              true));

  final ObjectMapper json = new ObjectMapper();
  final HttpClient client = HttpClient.newHttpClient();
  final JsonNode doc = load();
  NodeMetrics metrics;
  HttpApi api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  @Test
  void everyReferenceResolvesWithinTheDocument() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).hasSizeGreaterThan(20);
    for (String ref : refs) {
      assertThat(ref).as("local reference").startsWith("#/");
      assertThat(doc.at(ref.substring(1)).isObject()).as("%s resolves to an object", ref).isTrue();
    }
  }

  @Test
  void keyValueOperationsListTheSecurityAndLimitRefusalsWithTheErrorBody() {
    JsonNode scheme = doc.at("/components/securitySchemes/bearerAuth");
    assertThat(scheme.path("type").asText()).isEqualTo("http");
    assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
    assertThat(scheme.path("description").asText()).contains("token file");
    for (KvOp op : KV_OPS) {
      JsonNode operation = operation(op.method(), op.route());
      assertThat(operation.path("security").toString())
          .as(op.method() + " " + op.route())
          .isEqualTo("[{\"bearerAuth\":[]}]");
      List<String> refusals = new ArrayList<>(List.of("401", "429", "431", "503"));
      if (op.writes()) {
        refusals.add("403");
      }
      if (op.takesBody()) {
        refusals.add("413");
      }
      for (String status : refusals) {
        JsonNode response = response(operation, status);
        assertThat(response.isObject()).as(op.method() + " " + op.route() + " " + status).isTrue();
        assertThat(response.at("/content/application~1json/schema/$ref").asText())
            .as(op.method() + " " + op.route() + " " + status)
            .isEqualTo(ERROR_SCHEMA);
      }
      assertThat(response(operation, "401").path("headers").has("WWW-Authenticate")).isTrue();
      assertThat(response(operation, "429").path("headers").has("Retry-After")).isTrue();
      assertThat(response(operation, "503").path("headers").has("Retry-After")).isTrue();
      // A read token is the weakest role and may read; a body is read only by PUT and CAS.
      assertThat(operation.path("responses").has("403")).isEqualTo(op.writes());
      assertThat(operation.path("responses").has("413")).isEqualTo(op.takesBody());
    }
  }

  @Test
  void everyStatusASecuredNodeAnswersIsDocumentedForItsOperation() throws Exception {
    FakeBackend backend = new FakeBackend("n1");
    metrics = new NodeMetrics();
    InflightLimit inflight = new InflightLimit(1, metrics.registry());
    Authenticator auth =
        new Authenticator(
            Tokens.of(Map.of(READ_TOKEN, Role.READ, WRITE_TOKEN, Role.WRITE)), metrics.registry());
    EdgeSecurity security =
        EdgeSecurity.open()
            .withAuth(auth, new Access(Set.of("healthz", "readyz", "metrics")))
            .withLimits(inflight, MAX_HEADER_BYTES, 8);
    api = new HttpApi(backend, metrics, LIMITS, security);
    String base = "http://127.0.0.1:" + api.start("127.0.0.1", 0);

    HttpResponse<byte[]> served = send(base, "GET", "/openapi.json", null, READ_TOKEN);
    assertThat(json.readTree(served.body())).isEqualTo(doc);

    String padding = "a".repeat(MAX_HEADER_BYTES * 2);
    for (KvOp op : KV_OPS) {
      byte[] body = op.body() == null ? null : op.body().getBytes(StandardCharsets.UTF_8);
      answers(op, send(base, op.method(), op.path(), body, null), 401);
      answers(op, send(base, op.method(), op.path(), body, "not-a-token-of-this-node"), 401);
      answers(op, send(base, op.method(), op.path(), body, READ_TOKEN), op.writes() ? 403 : 404);
      answers(op, send(base, op.method(), op.path(), null, WRITE_TOKEN, "X-Padding", padding), 431);
      if (op.takesBody()) {
        answers(op, send(base, op.method(), op.path(), op.oversizeBody(), WRITE_TOKEN), 413);
      }
      backend.mode(FakeBackend.Mode.NO_LEADER);
      answers(op, send(base, op.method(), op.path(), body, WRITE_TOKEN), 503);
      backend.mode(FakeBackend.Mode.LEADER);
    }

    // An answered request gives its slot back when the server's side of it completes, which can be
    // a moment after the client has the answer: start from an idle server, or the PUT below may
    // find the slot still taken and be refused with 429 instead of holding it.
    await().atMost(Duration.ofSeconds(10)).until(() -> inflight.inUse() == 0);
    // A PUT whose body has half arrived holds the only in-flight slot until the rest is sent.
    try (Socket held = new Socket("127.0.0.1", api.port())) {
      held.setSoTimeout(10_000);
      OutputStream out = held.getOutputStream();
      out.write(
          ("PUT /v1/kv/held HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + WRITE_TOKEN
                  + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nv")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> inflight.inUse() == 1);
      for (KvOp op : KV_OPS) {
        byte[] body = op.body() == null ? null : op.body().getBytes(StandardCharsets.UTF_8);
        // The in-flight bound is checked before the token: even an anonymous request sees 429.
        answers(op, send(base, op.method(), op.path(), body, null), 429);
      }
      out.write('v');
      out.flush();
      answers(KV_OPS.get(0), RawResponse.parse(held.getInputStream().readAllBytes()), 204);
    }

    answers("GET", "/v1/cluster", send(base, "GET", "/v1/cluster", null, null), 401);
    answers("GET", "/openapi.json", send(base, "GET", "/openapi.json", null, null), 401);
    answers(
        "GET", "/healthz", send(base, "GET", "/healthz", null, null, "X-Padding", padding), 431);
    answers("GET", "/metrics", send(base, "GET", "/metrics", null, null), 200);
  }

  static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";

  /** A leader that accepts every change but promoting n9, and knows n2 as the leader for n7. */
  static final class FakeAdmin implements MembershipAdmin {
    final MembershipAdmin.Members view =
        new MembershipAdmin.Members(
            "n1",
            2,
            0,
            9,
            List.of(new MembershipAdmin.Member("n1", "127.0.0.1:7070", null, null, 9)),
            List.of());

    @Override
    public CompletableFuture<Members> members() {
      return CompletableFuture.completedFuture(view);
    }

    @Override
    public CompletableFuture<Members> addLearner(NodeAddress member) {
      return CompletableFuture.completedFuture(view);
    }

    @Override
    public CompletableFuture<Members> promote(String id) {
      return id.equals("n9")
          ? CompletableFuture.failedFuture(
              new Refused("node n1 term 2: n9 is not a learner; add it as a learner first"))
          : CompletableFuture.completedFuture(view);
    }

    @Override
    public CompletableFuture<Members> remove(String id) {
      return id.equals("n7")
          ? CompletableFuture.failedFuture(
              new BackendFailure.NotLeader(
                  "n1", new NodeAddress("n2", "127.0.0.1:7071", "127.0.0.1:8081", null)))
          : CompletableFuture.completedFuture(view);
    }
  }

  @Test
  void membershipRoutesNeedTheAdminRoleAndAnswerAsDocumented() throws Exception {
    metrics = new NodeMetrics();
    Authenticator auth =
        new Authenticator(
            Tokens.of(Map.of(WRITE_TOKEN, Role.WRITE, ADMIN_TOKEN, Role.ADMIN)),
            metrics.registry());
    EdgeSecurity security =
        EdgeSecurity.open()
            .withAuth(auth, new Access(Set.of("healthz")))
            .withLimits(new InflightLimit(8, metrics.registry()), MAX_HEADER_BYTES, 8);
    api = new HttpApi(new FakeBackend("n1"), new FakeAdmin(), metrics, LIMITS, security);
    String base = "http://127.0.0.1:" + api.start("127.0.0.1", 0);
    String members = "/v1/admin/members";
    byte[] add = "{\"id\":\"n4\",\"peer\":\"127.0.0.1:7074\"}".getBytes(StandardCharsets.UTF_8);

    answers("GET", members, send(base, "GET", members, null, null), 401);
    answers("GET", members, send(base, "GET", members, null, WRITE_TOKEN), 403);
    answers("POST", members, send(base, "POST", members, add, WRITE_TOKEN), 403);
    HttpResponse<byte[]> view = send(base, "GET", members, null, ADMIN_TOKEN);
    answers("GET", members, view, 200);
    assertThat(json.readTree(view.body()).at("/voters/0/match").asLong()).isEqualTo(9);
    answers("POST", members, send(base, "POST", members, add, ADMIN_TOKEN), 200);
    answers(
        "POST",
        members,
        send(
            base, "POST", members, "{\"id\":\"n4\"}".getBytes(StandardCharsets.UTF_8), ADMIN_TOKEN),
        400);
    answers(
        "POST",
        members,
        send(
            base,
            "POST",
            members,
            "{\"id\":\"n4\",\"peer\":\"nowhere\"}".getBytes(StandardCharsets.UTF_8),
            ADMIN_TOKEN),
        400);
    answers("POST", members, send(base, "POST", members, new byte[5000], ADMIN_TOKEN), 413);
    String promote = "/v1/admin/members/{id}/promote";
    answers("POST", promote, send(base, "POST", members + "/n4/promote", null, ADMIN_TOKEN), 200);
    HttpResponse<byte[]> refused = send(base, "POST", members + "/n9/promote", null, ADMIN_TOKEN);
    answers("POST", promote, refused, 409);
    assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("n9 is not a learner");
    answers(
        "POST", promote, send(base, "POST", members + "/n%2F9/promote", null, ADMIN_TOKEN), 400);
    String member = "/v1/admin/members/{id}";
    answers("DELETE", member, send(base, "DELETE", members + "/n3", null, ADMIN_TOKEN), 200);
    HttpResponse<byte[]> moved = send(base, "DELETE", members + "/n7", null, ADMIN_TOKEN);
    answers("DELETE", member, moved, 307);
    assertThat(moved.headers().firstValue("Location"))
        .hasValue("http://127.0.0.1:8081/v1/admin/members/n7");
  }

  /** Asserts the status, that the document lists it, and that the answer has what it promises. */
  void answers(KvOp op, HttpResponse<byte[]> r, int status) throws IOException {
    answers(op.method(), op.route(), r, status);
  }

  void answers(String method, String route, HttpResponse<byte[]> r, int status) throws IOException {
    String what = method + " " + route + " -> " + status;
    String text = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).as(what + ": " + text).isEqualTo(status);
    JsonNode documented = response(operation(method, route), Integer.toString(status));
    assertThat(documented.isObject()).as(what + " is documented").isTrue();
    documented
        .path("headers")
        .fieldNames()
        .forEachRemaining(
            h -> assertThat(r.headers().firstValue(h)).as(what + " header " + h).isPresent());
    if (documented.at("/content/application~1json/schema/$ref").asText().equals(ERROR_SCHEMA)) {
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .as(what)
          .startsWith("application/json");
      JsonNode body = json.readTree(r.body());
      assertThat(body.path("error").asText()).as(what).isNotBlank();
      assertThat(body.path("outcome").asText()).as(what).isIn("failed", "unknown");
    }
  }

  HttpResponse<byte[]> send(
      String base, String method, String path, byte[] body, String token, String... headers)
      throws Exception {
    return client.send(
        request(base, method, path, body, token, headers), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpRequest request(
      String base, String method, String path, byte[] body, String token, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b.build();
  }

  JsonNode operation(String method, String route) {
    JsonNode op = doc.path("paths").path(route).path(method.toLowerCase(Locale.ROOT));
    assertThat(op.isObject()).as(method + " " + route + " is in the document").isTrue();
    return op;
  }

  /** The operation's response for {@code status}, following one {@code $ref}. */
  JsonNode response(JsonNode operation, String status) {
    JsonNode r = operation.path("responses").path(status);
    return r.has("$ref") ? doc.at(r.path("$ref").asText().substring(1)) : r;
  }

  static void collectRefs(JsonNode node, List<String> into) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("$ref")) {
                  into.add(e.getValue().asText());
                } else {
                  collectRefs(e.getValue(), into);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, into));
    }
  }

  JsonNode load() {
    try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
      assertThat(in).as("openapi.json next to HttpApi on the classpath").isNotNull();
      return json.readTree(in);
    } catch (IOException e) {
      throw new AssertionError("openapi.json does not parse: " + e.getMessage(), e);
    }
  }
}
