package dev.faultline.api.http;

import static dev.faultline.api.http.RequestBody.body;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.api.BackendFailure;
import dev.faultline.api.CasOutcome;
import dev.faultline.api.FailureKind;
import dev.faultline.api.KvBackend;
import dev.faultline.api.Limits;
import dev.faultline.api.MembershipAdmin;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.RefusalLog;
import dev.faultline.api.Session;
import dev.faultline.api.metrics.NodeMetrics;
import dev.faultline.api.security.Authenticator;
import dev.faultline.api.security.ClientAuth;
import dev.faultline.api.security.EdgeSecurity;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (see docs/API.md): key-value routes over a {@link KvBackend}, cluster status,
 * health, readiness, Prometheus metrics and the OpenAPI document. Every error body is {@code
 * {"error": "...", "outcome": "failed"|"unknown"}}; bad input always gets a 4xx, never a 5xx.
 *
 * <p>{@link EdgeSecurity} adds HTTPS (Jetty's own TLS connector over the node's credentials, with
 * the client-certificate policy), bearer tokens (401 / 403 before any handler runs), the
 * request-header bound (431 from Jetty) and the node-wide in-flight bound (429).
 */
public final class HttpApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final RefusalLog REFUSALS = new RefusalLog(LOG, 10);
  private static final String KV_PREFIX = "/v1/kv/";
  private static final String ROUTE_KEY = "/v1/kv/{key}";
  private static final String ROUTE_CAS = "/v1/kv/{key}/cas";
  private static final String ATTR_START = "faultline.start";
  private static final String ATTR_ROUTE = "faultline.route";
  private static final String CLIENT_ID = "X-Client-Id";
  private static final String REQUEST_SEQ = "X-Request-Seq";

  /** Server threads kept back from key-value requests, for probes, metrics and Jetty's own. */
  static final int RESERVED_THREADS = 32;

  /** At most this many key-value requests are served over HTTP at once, whatever the limit. */
  static final int MAX_KV_THREADS = 1024;

  private final KvBackend backend;
  private final MembershipAdmin admin;
  private final NodeMetrics metrics;
  private final Limits limits;
  private final EdgeSecurity security;
  private final ObjectMapper json = new ObjectMapper();
  private final byte[] openApi;
  private final Javalin app;

  /**
   * Jetty's request threads, where key-value answers are written. Writing an answer may block (a
   * client that stops reading), so it must hold a thread of this pool, as many as requests are let
   * in, and never one of a small shared pool that every answer of the node waits for.
   */
  private final QueuedThreadPool threads;

  private volatile String bindHost;
  private volatile int bindPort;

  /** Builds a plaintext server without tokens; nothing listens until {@link #start}. */
  public HttpApi(KvBackend backend, NodeMetrics metrics, Limits limits) {
    this(backend, metrics, limits, EdgeSecurity.open());
  }

  /** Builds the server with {@code security}; nothing listens until {@link #start}. */
  public HttpApi(KvBackend backend, NodeMetrics metrics, Limits limits, EdgeSecurity security) {
    this(backend, null, metrics, limits, security);
  }

  /**
   * As {@link #HttpApi(KvBackend, NodeMetrics, Limits, EdgeSecurity)}, with the membership routes
   * under {@code /v1/admin/members} over {@code admin} (null: those routes answer 404).
   */
  public HttpApi(
      KvBackend backend,
      MembershipAdmin admin,
      NodeMetrics metrics,
      Limits limits,
      EdgeSecurity security) {
    this.backend = backend;
    this.admin = admin;
    this.metrics = metrics;
    this.limits = limits;
    this.security = security;
    this.openApi = loadOpenApi();
    // Each key-value request holds a server thread while its body is read, so the requests let in
    // must be fewer than the threads: the rest get 429, and /healthz always finds a thread.
    int kvThreads = Math.min(security.inflight().max(), MAX_KV_THREADS);
    this.threads = new QueuedThreadPool(kvThreads + RESERVED_THREADS, 8, 60_000);
    threads.setName("faultline-http");
    this.app =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.http.prefer405over404 = true;
              cfg.http.maxRequestSize = Math.max(limits.maxValueBytes(), limits.maxCasBodyBytes());
              cfg.router.ignoreTrailingSlashes = false;
              cfg.useVirtualThreads = false;
              cfg.jetty.threadPool = threads;
              // Keys are binary-safe path segments, so %2F and %25 must reach the router intact.
              cfg.jetty.modifyHttpConfiguration(
                  http -> {
                    http.setUriCompliance(UriCompliance.LEGACY);
                    http.setSendServerVersion(false);
                    // Larger headers are refused by Jetty with 431 before any handler runs.
                    http.setRequestHeaderSize(security.maxRequestHeaderBytes());
                  });
              cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
              cfg.jetty.addConnector(this::connector);
              cfg.jetty.modifyServletContextHandler(
                  handler ->
                      handler.addFilter(
                          new FilterHolder(
                              new InflightFilter(
                                  security.inflight(), kvThreads, retryAfterSeconds())),
                          "/v1/kv/*",
                          EnumSet.of(DispatcherType.REQUEST)));
              cfg.requestLogger.http((ctx, ms) -> recordRequest(ctx));
            });
    routes();
  }

  /** Listens on {@code host:port} (port 0 picks a free one) and returns the bound port. */
  public int start(String host, int port) {
    bindHost = host;
    bindPort = port;
    app.start(host, port);
    return app.port();
  }

  /** The one listening connector: plaintext, or TLS over the node's credentials. */
  private ServerConnector connector(Server server, HttpConfiguration http) {
    ServerConnector c;
    if (security.tls() == null) {
      c = new ServerConnector(server, new HttpConnectionFactory(http));
    } else {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setSslContext(security.tls().sslContext());
      ssl.setNeedClientAuth(security.clientAuth() == ClientAuth.REQUIRE);
      ssl.setWantClientAuth(security.clientAuth() == ClientAuth.OPTIONAL);
      HttpConfiguration https = new HttpConfiguration(http);
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // Clients reach nodes by IP address as often as by name; the certificate, not SNI, decides.
      secure.setSniHostCheck(false);
      https.addCustomizer(secure);
      c =
          new ServerConnector(
              server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    }
    c.setHost(bindHost);
    c.setPort(bindPort);
    // A body that stops arriving altogether is cut off after this long (408); a keep-alive
    // connection idle this long is closed. Never shorter than a request may wait for its answer.
    c.setIdleTimeout(Math.max(30_000, 2 * limits.requestTimeout().toMillis()));
    return c;
  }

  /** The bound port, once started. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private void routes() {
    app.before(
        ctx -> {
          ctx.attribute(ATTR_START, System.nanoTime());
          String uri = ctx.req().getRequestURI();
          if (uri.startsWith(KV_PREFIX)) {
            // Before the router decodes the key as a path parameter, which would fail as a 500.
            KeyPath.checkEncoding(uri.substring(KV_PREFIX.length()));
          }
          authorize(ctx);
        });
    app.put(ROUTE_KEY, this::put);
    app.get(ROUTE_KEY, this::get);
    app.delete(ROUTE_KEY, this::delete);
    app.post(ROUTE_CAS, this::cas);
    app.get("/v1/cluster", this::cluster);
    if (admin != null) {
      new MembershipRoutes(this, admin, limits, json).register(app);
    }
    app.get("/healthz", this::health);
    app.get("/readyz", this::ready);
    app.get("/metrics", this::metrics);
    app.get(
        "/openapi.json",
        ctx -> route(ctx, "/openapi.json").contentType("application/json").result(openApi));
    for (HandlerType method :
        new HandlerType[] {
          HandlerType.GET, HandlerType.PUT, HandlerType.DELETE, HandlerType.POST
        }) {
      // An empty key ("/v1/kv/" or "/v1/kv//cas") is bad input, not an unknown route.
      app.addHttpHandler(method, "/v1/kv/", ctx -> emptyKey(ctx));
      app.addHttpHandler(method, "/v1/kv//cas", ctx -> emptyKey(ctx));
    }
    app.exception(
        ApiError.class,
        (e, ctx) -> {
          if (e.status == 400 || e.status == 408 || e.status == 413) {
            REFUSALS.refused(
                "http", ctx.method() + " " + ctx.path(), e.status + " " + e.getMessage());
          }
          error(ctx, e);
        });
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          String message =
              e.getStatus() == 405
                  ? "method "
                      + ctx.method()
                      + " not allowed on "
                      + ctx.path()
                      + ": see /openapi.json"
                  : oneLine(e);
          error(ctx, new ApiError(e.getStatus(), message, true, Map.of()));
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("unexpected failure serving {} {}", ctx.method(), ctx.path(), e);
          error(ctx, new ApiError(500, "internal error: " + oneLine(e), false, Map.of()));
        });
    app.error(
        404,
        ctx -> {
          if (ctx.attribute(ATTR_ROUTE) == null) {
            error(
                ctx,
                new ApiError(
                    404,
                    "no route " + ctx.method() + " " + ctx.path() + ": see /openapi.json",
                    true,
                    Map.of()));
          }
        });
  }

  /** Refuses the request (401 / 403) unless its bearer token grants what the route needs. */
  private void authorize(Context ctx) {
    if (security.auth() == null) {
      return;
    }
    String method = ctx.method().name();
    String path = ctx.path();
    Authenticator.Verdict v =
        security
            .auth()
            .check(
                ctx.header("Authorization"),
                security.access().http(method, path),
                method + " " + path);
    if (v instanceof Authenticator.Verdict.Denied d) {
      if (d.reason() == Authenticator.Reason.FORBIDDEN) {
        throw new ApiError(403, d.message(), true, Map.of());
      }
      throw new ApiError(
          401, d.message(), true, Map.of("WWW-Authenticate", "Bearer realm=\"faultline\""));
    }
  }

  private void put(Context ctx) {
    route(ctx, ROUTE_KEY);
    byte[] key = key(ctx, false);
    Session session = session(ctx);
    byte[] value = body(ctx, limits.maxValueBytes(), "value");
    kv(ctx, "put", false, on -> backend.put(key, value, session, on), v -> ctx.status(204));
  }

  private void get(Context ctx) {
    route(ctx, ROUTE_KEY);
    byte[] key = key(ctx, false);
    kv(
        ctx,
        "get",
        true,
        on -> backend.get(key, on),
        value -> {
          if (value.isPresent()) {
            ctx.status(200).contentType("application/octet-stream").result(value.get());
          } else {
            ObjectNode body = errorBody("key not found", "failed");
            body.put("found", false);
            ctx.status(404).json(body);
          }
        });
  }

  private void delete(Context ctx) {
    route(ctx, ROUTE_KEY);
    byte[] key = key(ctx, false);
    Session session = session(ctx);
    kv(ctx, "delete", false, on -> backend.delete(key, session, on), v -> ctx.status(204));
  }

  private void cas(Context ctx) {
    route(ctx, ROUTE_CAS);
    byte[] key = key(ctx, true);
    Session session = session(ctx);
    byte[] body = body(ctx, limits.maxCasBodyBytes(), "cas body");
    CasRequest req = CasRequest.parse(json, body, limits.maxValueBytes());
    kv(
        ctx,
        "cas",
        false,
        on -> backend.cas(key, req.expected(), req.value(), session, on),
        outcome -> {
          if (outcome.swapped()) {
            ctx.status(200).json(Map.of("swapped", true));
          } else {
            ctx.status(409).json(mismatchBody(outcome));
          }
        });
  }

  private ObjectNode mismatchBody(CasOutcome outcome) {
    ObjectNode body =
        errorBody(
            outcome.current() == null
                ? "cas failed: the key is absent"
                : "cas failed: the current value differs from expected",
            "failed");
    body.put("swapped", false);
    if (outcome.current() == null) {
      body.putNull("current");
    } else {
      body.put("current", new String(outcome.current(), StandardCharsets.UTF_8));
      body.put("current_b64", Base64.getEncoder().encodeToString(outcome.current()));
    }
    return body;
  }

  private void cluster(Context ctx) {
    route(ctx, "/v1/cluster");
    ctx.json(backend.clusterStatus());
  }

  /** Alive means able to serve: a node whose Raft loop stopped for good is not healthy. */
  private void health(Context ctx) {
    route(ctx, "/healthz");
    String failure = backend.failure();
    if (failure == null) {
      ctx.json(Map.of("status", "ok"));
    } else {
      ObjectNode body = errorBody("node stopped: " + failure, "failed");
      body.put("status", "failed");
      ctx.status(503).json(body);
    }
  }

  private void ready(Context ctx) {
    route(ctx, "/readyz");
    if (backend.isReady()) {
      ctx.json(Map.of("status", "ready"));
    } else {
      throw unavailable("not ready: this node knows no leader yet; retry shortly");
    }
  }

  private void metrics(Context ctx) {
    route(ctx, "/metrics");
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  private void emptyKey(Context ctx) {
    route(ctx, ctx.path().endsWith("/cas") ? ROUTE_CAS : ROUTE_KEY);
    throw ApiError.badRequest("empty key: send /v1/kv/{key} with a non-empty, percent-encoded key");
  }

  /**
   * Runs one backend operation asynchronously, answering with {@code onSuccess} or the failure's
   * status; the backend's own timeout is bounded by the request timeout. {@code call} is given the
   * executor the answer continues on: Jetty's request threads (see {@link #threads}).
   */
  private <T> void kv(
      Context ctx,
      String op,
      boolean read,
      Function<Executor, CompletableFuture<T>> call,
      java.util.function.Consumer<T> onSuccess) {
    long start = System.nanoTime();
    CompletableFuture<T> future;
    try {
      future = call.apply(threads).copy();
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    metrics.requestStage("http", op, "in", System.nanoTime() - start);
    CompletableFuture<T> bounded =
        future.orTimeout(limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.future(
        () ->
            bounded.handle(
                (value, err) -> {
                  long answering = System.nanoTime();
                  String outcome;
                  if (err == null) {
                    onSuccess.accept(value);
                    outcome = "ok";
                  } else {
                    ApiError e = failure(ctx, FailureKind.unwrap(err), read);
                    error(ctx, e);
                    outcome = e.outcome();
                  }
                  long now = System.nanoTime();
                  metrics.requestStage("http", op, "out", now - answering);
                  metrics.kvOperation(op, outcome, now - start);
                  return null;
                }));
  }

  ApiError failure(Context ctx, Throwable err, boolean read) {
    FailureKind kind = FailureKind.of(err);
    boolean definite = kind.definite(read);
    return switch (kind) {
      case NOT_LEADER -> {
        NodeAddress leader = ((BackendFailure.NotLeader) err).leader();
        if (leader == null || leader.http() == null) {
          yield unavailable(err.getMessage());
        }
        String query = ctx.queryString();
        String location =
            base(leader.http()) + ctx.req().getRequestURI() + (query == null ? "" : "?" + query);
        yield new ApiError(307, err.getMessage(), definite, Map.of("Location", location));
      }
      case UNAVAILABLE -> unavailable(err.getMessage());
      case REJECTED -> ApiError.badRequest(err.getMessage());
      case OUTCOME_UNKNOWN -> new ApiError(504, err.getMessage(), definite, Map.of());
      case TIMED_OUT ->
          new ApiError(
              504,
              "no answer within " + limits.requestTimeout().toMillis() + " ms",
              definite,
              Map.of());
      case INTERNAL -> {
        LOG.error("backend failed unexpectedly", err);
        yield new ApiError(500, "internal error: " + oneLine(err), definite, Map.of());
      }
    };
  }

  private ApiError unavailable(String message) {
    return new ApiError(
        503, message, true, Map.of("Retry-After", Long.toString(retryAfterSeconds())));
  }

  private long retryAfterSeconds() {
    return Math.max(1, (limits.retryAfter().toMillis() + 999) / 1000);
  }

  private String base(String address) {
    return address.startsWith("http://") || address.startsWith("https://")
        ? address
        : security.scheme() + "://" + address;
  }

  private byte[] key(Context ctx, boolean cas) {
    String uri = ctx.req().getRequestURI();
    String raw =
        uri.substring(KV_PREFIX.length(), cas ? uri.length() - "/cas".length() : uri.length());
    return KeyPath.decode(raw, limits.maxKeyBytes());
  }

  private static Session session(Context ctx) {
    String id = ctx.header(CLIENT_ID);
    String seq = ctx.header(REQUEST_SEQ);
    if (id == null && seq == null) {
      return Session.NONE;
    }
    if (id == null || seq == null) {
      throw ApiError.badRequest(
          "a session needs both "
              + CLIENT_ID
              + " and "
              + REQUEST_SEQ
              + " headers; send both or neither");
    }
    return new Session(unsigned(CLIENT_ID, id), unsigned(REQUEST_SEQ, seq));
  }

  private static long unsigned(String header, String text) {
    try {
      return Long.parseUnsignedLong(text.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(
          header + " must be an unsigned 64-bit decimal number, was '" + text + "'");
    }
  }

  static Context route(Context ctx, String route) {
    ctx.attribute(ATTR_ROUTE, route);
    return ctx;
  }

  void error(Context ctx, ApiError e) {
    route(ctx, ctx.attribute(ATTR_ROUTE) == null ? "unmatched" : ctx.attribute(ATTR_ROUTE));
    e.headers.forEach(ctx::header);
    ctx.status(e.status).json(errorBody(e.getMessage(), e.outcome()));
  }

  private ObjectNode errorBody(String message, String outcome) {
    ObjectNode body = json.createObjectNode();
    body.put("error", message);
    body.put("outcome", outcome);
    return body;
  }

  private void recordRequest(Context ctx) {
    Long start = ctx.attribute(ATTR_START);
    String route = ctx.attribute(ATTR_ROUTE);
    metrics.request(
        route == null ? "unmatched" : route,
        ctx.method().name(),
        ctx.statusCode(),
        start == null ? 0 : System.nanoTime() - start);
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ').replace('\r', ' ');
  }

  private static byte[] loadOpenApi() {
    try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
