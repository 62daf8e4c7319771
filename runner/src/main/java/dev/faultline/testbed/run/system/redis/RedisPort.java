package dev.faultline.testbed.run.system.redis;

import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.workloads.client.Completion;
import dev.faultline.workloads.client.KvPort;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A {@link KvPort} on the primary the Sentinels name. A compare-and-set is one Lua script (Redis
 * runs a script atomically). Outcomes: no connection to borrow means nothing was sent ({@code
 * fail}); an error reply ({@code READONLY}, {@code NOREPLICAS}, {@code LOADING}, ...) is a definite
 * refusal ({@code fail}); a connection lost or timed out after sending leaves a write unknown
 * ({@code info}). With {@code wait > 0}, a write acknowledged by fewer than {@code wait} replicas
 * within the time left is {@code info}: it is on the primary but may be lost in a failover.
 */
final class RedisPort implements KvPort {
  private static final String CAS_VALUE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1"
          + " else return 0 end";
  private static final String CAS_ABSENT =
      "if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) return 1"
          + " else return 0 end";

  private final JedisSentinelPool pool;
  private final List<NodeAddress> nodes;
  private final Duration timeout;
  private final int wait;

  RedisPort(JedisSentinelPool pool, List<NodeAddress> nodes, Duration timeout, int wait) {
    this.pool = pool;
    this.nodes = nodes;
    this.timeout = timeout;
    this.wait = wait;
  }

  @Override
  public Completion get(String key) {
    return call(j -> Completion.ok(j.get(key), null), false);
  }

  @Override
  public Completion put(String key, String value) {
    return call(
        j -> {
          j.set(key, value);
          return Completion.ok(null, null);
        },
        true);
  }

  @Override
  public Completion delete(String key) {
    return call(
        j -> {
          j.del(key);
          return Completion.ok(null, null);
        },
        true);
  }

  @Override
  public Completion cas(String key, String expected, String value) {
    return call(
        j -> {
          Object swapped =
              expected == null
                  ? j.eval(CAS_ABSENT, List.of(key), List.of(value))
                  : j.eval(CAS_VALUE, List.of(key), List.of(expected, value));
          return Long.valueOf(1).equals(swapped)
              ? Completion.ok(null, null)
              : Completion.fail(CAS_MISMATCH, null);
        },
        true);
  }

  private Completion call(Function<Jedis, Completion> op, boolean write) {
    Jedis j;
    try {
      j = pool.getResource();
    } catch (JedisException e) {
      return Completion.fail("no connection to the primary: " + reason(e), null);
    }
    // The primary the pool was pointing at when the connection was borrowed.
    String node = nodeOf(pool.getCurrentHostMaster().getHost());
    try (j) {
      Completion c = op.apply(j);
      if (!c.isOk() || !write || wait == 0) {
        return withNode(c, node);
      }
      long acked = j.waitReplicas(wait, Math.max(1, timeout.toMillis() / 2));
      return acked >= wait
          ? withNode(c, node)
          : Completion.info("wait: " + acked + " of " + wait + " replicas acknowledged", node);
    } catch (JedisDataException e) {
      return Completion.fail(reason(e), node);
    } catch (JedisConnectionException e) {
      return Completion.info(reason(e), node);
    } catch (JedisException e) {
      return Completion.info(reason(e), node);
    }
  }

  private static Completion withNode(Completion c, String node) {
    return new Completion(c.type(), c.value(), node, c.error());
  }

  private String nodeOf(String host) {
    return nodes.stream()
        .filter(a -> a.host().equals(host))
        .map(NodeAddress::id)
        .findFirst()
        .orElse(host);
  }

  private static String reason(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    m = m.replace('\n', ' ');
    return m.length() <= 160 ? m : m.substring(0, 157) + "...";
  }
}
