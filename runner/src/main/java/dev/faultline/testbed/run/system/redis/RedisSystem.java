package dev.faultline.testbed.run.system.redis;

import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.NodeLauncher;
import dev.faultline.nemesis.cluster.NodeSpec;
import dev.faultline.nemesis.net.NodeAddress;
import dev.faultline.nemesis.os.Tool;
import dev.faultline.testbed.run.system.DebianPackage;
import dev.faultline.testbed.run.system.NodeContext;
import dev.faultline.testbed.run.system.OptionSchema;
import dev.faultline.testbed.run.system.SystemBase;
import dev.faultline.testbed.run.system.SystemNodes;
import dev.faultline.testbed.run.system.SystemSpec;
import dev.faultline.workloads.client.ClientFactory;
import dev.faultline.workloads.client.PortClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Redis (Debian {@code redis-server} and {@code redis-sentinel}) as a system under test: on each
 * node a {@code redis-server} and a Sentinel; {@code n1} starts as the primary and the others as
 * its replicas, and the Sentinels fail over by majority. Clients find the primary through the
 * Sentinels (Jedis's {@code JedisSentinelPool}, which follows {@code +switch-master}). {@code
 * wait=N} sends {@code WAIT N} after every write and records the write as {@code info} unless N
 * replicas acknowledged it.
 *
 * <p>The node's process is {@code redis-server}; its Sentinel is started beside it with a parent
 * death signal, so a kill takes both down (the machine crashed) while a pause stops the server
 * only.
 */
public final class RedisSystem extends SystemBase {
  static final int PORT = 6379;
  static final int SENTINEL_PORT = 26379;
  static final String MASTER = "faultline";
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
  private static final DebianPackage SERVER = new DebianPackage("redis-server", "redis-server");
  private static final DebianPackage SENTINEL =
      new DebianPackage("redis-sentinel", "redis-sentinel");

  public RedisSystem(SystemSpec spec) {
    super(
        "redis",
        new OptionSchema("redis").integer("wait", 0, 0, 252).resolve(spec),
        PROCESS_AND_CLOCK_FAULTS);
  }

  @Override
  public Optional<String> refusal(RunShape shape) {
    int wait = Integer.parseInt(option("wait"));
    if (wait > shape.nodes() - 1) {
      return Optional.of(
          "--db-option wait="
              + wait
              + ": a cluster of "
              + shape.nodes()
              + " has "
              + (shape.nodes() - 1)
              + " replicas; use wait=0.."
              + (shape.nodes() - 1));
    }
    if (shape.nodes() < 3) {
      return Optional.of("--db redis needs --nodes 3 or more: Sentinels fail over by majority");
    }
    return super.refusal(shape);
  }

  @Override
  public String install() {
    SERVER.require();
    SENTINEL.require();
    return version();
  }

  @Override
  public String version() {
    return SERVER
        .find()
        .map(p -> DebianPackage.firstLine(List.of(p.toString(), "--version")))
        .map(
            line -> {
              Matcher m = Pattern.compile("v=(\\S+)").matcher(line);
              return m.find() ? m.group(1) : line;
            })
        .orElse("unknown");
  }

  @Override
  public SystemNodes open(NodeContext context) {
    return new Nodes(
        context,
        SERVER.require(),
        SENTINEL.require(),
        Tool.SETPRIV.require(),
        Integer.parseInt(option("wait")));
  }

  private static final class Nodes implements SystemNodes {
    private final NodeContext context;
    private final Path server;
    private final Path sentinel;
    private final Path setpriv;
    private final int wait;
    private JedisSentinelPool pool;

    Nodes(NodeContext context, Path server, Path sentinel, Path setpriv, int wait) {
      this.context = context;
      this.server = server;
      this.sentinel = sentinel;
      this.setpriv = setpriv;
      this.wait = wait;
    }

    /**
     * Writes {@code redis.conf} and {@code sentinel.conf} once (both programs rewrite their own
     * file as roles change, and a restarted node reads what it last knew).
     */
    @Override
    public NodeLauncher launcher() {
      return (self, all) -> {
        Path dir = context.nodeDir(self.id());
        Path data = dir.resolve("data");
        NodeAddress first = all.get(0);
        var redis =
            new ArrayList<>(
                List.of(
                    "bind " + self.host(),
                    "port " + PORT,
                    "protected-mode no",
                    "daemonize no",
                    "logfile \"\"",
                    "dir " + data,
                    "appendonly yes",
                    "save \"\"",
                    "replica-read-only yes",
                    "replica-announce-ip " + self.host()));
        if (!self.id().equals(first.id())) {
          redis.add("replicaof " + first.host() + " " + PORT);
        }
        List<String> sentinelConf =
            List.of(
                "bind " + self.host(),
                "port " + SENTINEL_PORT,
                "protected-mode no",
                "daemonize no",
                "logfile \"\"",
                "dir " + dir,
                "sentinel announce-ip " + self.host(),
                "sentinel monitor "
                    + MASTER
                    + " "
                    + first.host()
                    + " "
                    + PORT
                    + " "
                    + (all.size() / 2 + 1),
                "sentinel down-after-milliseconds " + MASTER + " 2000",
                "sentinel failover-timeout " + MASTER + " 6000",
                "sentinel parallel-syncs " + MASTER + " 1");
        Path redisConf = dir.resolve("redis.conf");
        Path sentinelFile = dir.resolve("sentinel.conf");
        try {
          Files.createDirectories(data);
          Files.write(redisConf, redis);
          Files.write(sentinelFile, sentinelConf);
        } catch (IOException e) {
          throw new UncheckedIOException("node " + self.id() + ": cannot write its config", e);
        }
        String line =
            setpriv
                + " --pdeathsig KILL -- "
                + sentinel
                + " "
                + sentinelFile
                + " & exec "
                + server
                + " "
                + redisConf;
        return new NodeSpec(
            self.id(), List.of("sh", "-c", line), Map.of(), dir, data, dir.resolve("stdout.log"));
      };
    }

    /**
     * A primary names itself; a replica names the node whose address is its {@code master_host}.
     */
    @Override
    public LeaderProbe leaderProbe() {
      return node -> {
        String info;
        try (Jedis j = jedis(node, PORT)) {
          info = j.info("replication");
        } catch (JedisException e) {
          return Optional.empty();
        }
        String role = field(info, "role");
        if ("master".equals(role)) {
          return Optional.of(node.id());
        }
        String host = field(info, "master_host");
        return context.nodes().stream()
            .filter(a -> a.host().equals(host))
            .map(NodeAddress::id)
            .findFirst();
      };
    }

    /** The server answers {@code PING} and the node's Sentinel knows a primary. */
    @Override
    public boolean ready(NodeAddress node) {
      try (Jedis j = jedis(node, PORT);
          Jedis s = jedis(node, SENTINEL_PORT)) {
        return "PONG".equals(j.ping()) && s.sentinelGetMasterAddrByName(MASTER) != null;
      } catch (JedisException e) {
        return false;
      }
    }

    private static Jedis jedis(NodeAddress node, int port) {
      int ms = (int) PROBE_TIMEOUT.toMillis();
      return new Jedis(
          new HostAndPort(node.host(), port),
          DefaultJedisClientConfig.builder()
              .connectionTimeoutMillis(ms)
              .socketTimeoutMillis(ms)
              .build());
    }

    static String field(String info, String name) {
      for (String l : info.split("\r?\n")) {
        if (l.startsWith(name + ":")) {
          return l.substring(name.length() + 1).strip();
        }
      }
      return null;
    }

    /**
     * One Sentinel-backed pool for the run, asking every node's Sentinel for the primary; each
     * process borrows a connection per op.
     */
    @Override
    public synchronized ClientFactory clients(Duration timeout, int concurrency) {
      var sentinels = new LinkedHashSet<String>();
      context.nodes().forEach(a -> sentinels.add(a.hostPort(SENTINEL_PORT)));
      var config = new JedisPoolConfig();
      config.setMaxTotal(concurrency * 2 + 2);
      config.setMaxWait(timeout);
      config.setTestOnBorrow(false);
      int ms = (int) timeout.toMillis();
      pool = new JedisSentinelPool(MASTER, sentinels, config, ms, ms, null, 0);
      JedisSentinelPool shared = pool;
      return process -> new PortClient(new RedisPort(shared, context.nodes(), timeout, wait));
    }

    @Override
    public void keep(String nodeId, Path target) throws IOException {
      for (String file : List.of("redis.conf", "sentinel.conf")) {
        Path conf = context.nodeDir(nodeId).resolve(file);
        if (Files.isRegularFile(conf)) {
          Files.copy(conf, target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }

    @Override
    public synchronized void close() {
      if (pool != null) {
        pool.close();
        pool = null;
      }
    }
  }
}
