package dev.faultline.workloads.client;

import dev.faultline.api.CasOutcome;
import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.client.KvException;
import dev.faultline.api.client.KvFailedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A {@link KvPort} over the api module's {@link KvClient} (HTTP or gRPC). The client finds the
 * leader and retries only what is safe; what it finally reports is kept apart here: a {@link
 * KvFailedException} becomes {@code fail}, an unknown outcome {@code info}, a compare-and-set that
 * did not swap {@code fail} with {@link #CAS_MISMATCH}. The node named is the one that answered.
 */
public final class KvClientPort implements KvPort {
  private final KvClient client;
  private final Map<String, String> nodeByEndpoint;

  /**
   * @param client a client used by this port alone (its leader memory names the answering node)
   * @param nodeByEndpoint {@code host:port} to node name, for naming the node that answered
   */
  public KvClientPort(KvClient client, Map<String, String> nodeByEndpoint) {
    this.client = client;
    this.nodeByEndpoint = Map.copyOf(nodeByEndpoint);
  }

  /**
   * Opens one {@link KvClient} per process; process {@code p} tries node {@code p mod n} first,
   * then the others in order, so processes are spread over the nodes as Jepsen spreads them.
   *
   * @param endpoints node name to its {@code host:port} for the chosen protocol, in node order
   * @param callTimeout how long one attempt may take; a call (with its retries) gets three times
   *     that
   * @param sessions whether writes carry a session, so the client may retry one whose outcome was
   *     unknown and the store applies it at most once; without, such a write ends as {@code info}
   */
  public static ClientFactory factory(
      Protocol protocol, Map<String, String> endpoints, Duration callTimeout, boolean sessions) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no nodes to send requests to; pass at least one node");
    }
    Map<String, String> ordered = new LinkedHashMap<>(endpoints);
    List<String> names = new ArrayList<>(ordered.keySet());
    Map<String, String> byEndpoint = new HashMap<>();
    ordered.forEach((node, endpoint) -> byEndpoint.put(hostPort(endpoint), node));
    return process -> {
      int home = (int) Math.floorMod(process, (long) names.size());
      List<String> order = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        order.add(ordered.get(names.get((home + i) % names.size())));
      }
      KvClientOptions options =
          KvClientOptions.of(order)
              .withCallTimeout(callTimeout)
              .withTotalTimeout(callTimeout.multipliedBy(3))
              .withSessions(sessions);
      KvClient client = protocol == Protocol.HTTP ? KvClient.http(options) : KvClient.grpc(options);
      return new PortClient(new KvClientPort(client, byEndpoint));
    };
  }

  @Override
  public Completion get(String key) {
    return call(() -> Completion.ok(client.get(key).orElse(null), answered()));
  }

  @Override
  public Completion put(String key, String value) {
    return call(
        () -> {
          client.put(key, value);
          return Completion.ok(null, answered());
        });
  }

  @Override
  public Completion delete(String key) {
    return call(
        () -> {
          client.delete(key);
          return Completion.ok(null, answered());
        });
  }

  @Override
  public Completion cas(String key, String expected, String value) {
    return call(
        () -> {
          CasOutcome o =
              client.cas(utf8(key), expected == null ? null : utf8(expected), utf8(value));
          return o.swapped()
              ? Completion.ok(null, answered())
              : Completion.fail(CAS_MISMATCH, answered());
        });
  }

  private Completion call(Supplier<Completion> op) {
    try {
      return op.get();
    } catch (KvException e) {
      String node = e.node() == null ? null : nodeOf(e.node());
      return e instanceof KvFailedException
          ? Completion.fail(reason(e.getMessage()), node)
          : Completion.info(reason(e.getMessage()), node);
    }
  }

  private String answered() {
    return nodeOf(client.leader());
  }

  private String nodeOf(String endpoint) {
    String hp = hostPort(endpoint);
    return nodeByEndpoint.getOrDefault(hp, hp);
  }

  /**
   * {@code host:port} of an endpoint written as {@code host:port} or {@code http://host:port/…}.
   */
  static String hostPort(String endpoint) {
    String s = endpoint;
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    int slash = s.indexOf('/');
    if (slash >= 0) {
      s = s.substring(0, slash);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  /** The client's one-line reason, capped so the history stays compact. */
  static String reason(String message) {
    if (message == null || message.isBlank()) {
      return "no reason given";
    }
    String line = message.strip().replace('\n', ' ');
    return line.length() <= 160 ? line : line.substring(0, 157) + "...";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }
}
