package dev.faultline.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every metric a node exposes, in one Prometheus registry: client operations and HTTP requests
 * (recorded by the edges), Raft and store figures (fed by the runtime through {@link #raft()} and
 * {@link #store()}), and the JVM's memory, GC and thread metrics. Thread-safe.
 *
 * <p>Exposed names: {@code kv_operations_total{op,outcome}}, {@code
 * kv_operations_latency_seconds{op}}, {@code requests_total{route,method,status}}, {@code
 * requests_seconds{route,method}}, {@code grpc_requests_total{method,code}}, {@code
 * grpc_requests_seconds{method}}, the {@code raft_*} and {@code store_*} families, {@code jvm_*}.
 */
public final class NodeMetrics implements AutoCloseable {

  private static final Duration MIN_LATENCY = Duration.ofNanos(100_000);
  private static final Duration MAX_LATENCY = Duration.ofSeconds(30);

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final RaftMetrics raft;
  private final StoreMetrics store;
  // Meters by their name and tag values: a lookup per request instead of a builder, a tag sort
  // and the registry's own lookup. Route, method, op, outcome and code are bounded sets.
  private final ConcurrentHashMap<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<List<String>, Timer> timers = new ConcurrentHashMap<>();

  public NodeMetrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    this.gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    this.raft = new RaftMetrics(registry);
    this.store = new StoreMetrics(registry);
  }

  /** The underlying registry, for callers that add their own meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Raft callbacks the runtime feeds. */
  public RaftMetrics raft() {
    return raft;
  }

  /** The store callbacks the state machine feeds. */
  public StoreMetrics store() {
    return store;
  }

  /**
   * Records one client operation: {@code op} is put, get, delete or cas; {@code outcome} is ok,
   * failed or unknown (the same words as the error bodies' {@code outcome}).
   */
  public void kvOperation(String op, String outcome, long nanos) {
    counters
        .computeIfAbsent(
            List.of("kv", op, outcome),
            k ->
                Counter.builder("kv.operations")
                    .description("Client key-value operations by outcome")
                    .tag("op", op)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
    timers
        .computeIfAbsent(
            List.of("kv", op),
            k ->
                latency("kv.operations.latency", "Client key-value operation latency")
                    .tag("op", op)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Records one stage of a key-value request at the node's edge: {@code in} from the handler's
   * start until the operation is queued for the Raft loop (decoding, checks, encoding the command),
   * {@code out} from the answer's continuation starting until the response is handed to the server.
   * What lies between is the Raft loop's ({@code raft_proposal_stage_seconds}) and the hand-off
   * back ({@code raft_answer_handoff_seconds}).
   */
  public void requestStage(String protocol, String op, String stage, long nanos) {
    timers
        .computeIfAbsent(
            List.of("stage", protocol, op, stage),
            k ->
                latency("kv.request.stage", "Stages of a key-value request at the node's edge")
                    .tag("protocol", protocol)
                    .tag("op", op)
                    .tag("stage", stage)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records one HTTP request by its route template (never the raw path: keys are unbounded). */
  public void request(String route, String method, int status, long nanos) {
    String code = Integer.toString(status);
    counters
        .computeIfAbsent(
            List.of("http", route, method, code),
            k ->
                Counter.builder("requests.total")
                    .description("HTTP requests by route, method and status")
                    .tag("route", route)
                    .tag("method", method)
                    .tag("status", code)
                    .register(registry))
        .increment();
    timers
        .computeIfAbsent(
            List.of("http", route, method),
            k ->
                latency("requests", "HTTP request latency")
                    .tag("route", route)
                    .tag("method", method)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Records one gRPC call of {@code faultline.kv.v1.Kv}: {@code method} is the bare method name
   * ({@code Put}), {@code code} the final status code's name ({@code OK}, {@code UNAVAILABLE}).
   */
  public void grpcRequest(String method, String code, long nanos) {
    counters
        .computeIfAbsent(
            List.of("grpc", method, code),
            k ->
                Counter.builder("grpc.requests.total")
                    .description("gRPC calls by method and status code")
                    .tag("method", method)
                    .tag("code", code)
                    .register(registry))
        .increment();
    timers
        .computeIfAbsent(
            List.of("grpc", method),
            k ->
                latency("grpc.requests", "gRPC call latency")
                    .tag("method", method)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private static Timer.Builder latency(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(MIN_LATENCY)
        .maximumExpectedValue(MAX_LATENCY);
  }

  /** The registry in the Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
